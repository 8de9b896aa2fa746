"""config.rows: plain-SQL single-row reads give the instance the ORM gives."""

import pytest

from accounts.models import Agency
from config.rows import get_by, insert
from procedures.models import Procedure

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_row_read_by_a_unique_column_equals_the_orms(birth_registration, ward):
    for model, column, value in [
        (Procedure, "code", birth_registration.code),
        (Agency, "code", ward.code),
        (Agency, "id", ward.pk),
    ]:
        found, expected = get_by(model, column, value), model.objects.get(**{column: value})
        assert type(found) is model and not found._state.adding
        assert values(found) == values(expected)


def test_no_row_is_none_and_a_column_that_is_not_unique_is_refused(ward):
    assert get_by(Agency, "code", "không có") is None
    with pytest.raises(ValueError):
        get_by(Agency, "province_code", ward.province_code)


def test_inserted_rows_equal_what_save_writes(birth_registration, ward):
    from dossiers.models import Dossier, DossierStep
    from tests.factories import dossier as make_dossier

    saved = make_dossier(procedure=birth_registration, agency=ward)
    copy = Dossier.objects.get(pk=saved.pk)
    copy.pk, copy._state.adding, copy.code = None, True, "X-260302-0001"
    insert(copy)
    again = Dossier.objects.get(pk=copy.pk)
    skip = {"id", "code", "created_at", "updated_at"}
    assert {k: v for k, v in values(again).items() if k not in skip} == {
        k: v for k, v in values(saved).items() if k not in skip
    }
    assert again.created_at > saved.created_at and again.updated_at > saved.updated_at  # auto_now values

    steps = [DossierStep(dossier=again, order=n, name=f"Bước {n}", role="clerk", agency=ward) for n in (1, 2)]
    insert(*steps)
    assert [s.pk for s in steps] == list(again.steps.order_by("order").values_list("pk", flat=True))


def test_insert_refuses_rows_it_cannot_write_like_save(birth_registration, ward):
    from procedures.models import DocumentRequirement

    with pytest.raises(TypeError):  # a post_save receiver (the catalogue cache) must run
        insert(DocumentRequirement(procedure=birth_registration, name="x"))
    with pytest.raises(ValueError):
        insert(Agency.objects.get(pk=ward.pk))  # not new
