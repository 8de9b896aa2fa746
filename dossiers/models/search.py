"""The folded applicant name the desk search matches: one SQL expression for the index and the query."""

from django.db.models import F, Func, TextField
from django.db.models.functions import Lower

# unaccent() is only STABLE (its dictionary could change), so an index cannot use it; migration
# 0017_desk_search_indexes creates this IMMUTABLE wrapper over the fixed `unaccent` dictionary.
UNACCENT_FUNCTION = "immutable_unaccent"


class ImmutableUnaccent(Func):
    function = UNACCENT_FUNCTION
    output_field = TextField()


def folded_name() -> Lower:
    """lower(unaccent(applicant_name)): 'Nguyễn Văn An' -> 'nguyen van an', as procedures.text.fold gives."""
    return Lower(ImmutableUnaccent(F("applicant_name")))
