"""Query filters of the procedures API: text search, sector, level, online level and offering agency."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import Agency

from ..models import Procedure
from ..selectors import procedures_offered_by, search_procedures


@extend_schema_field(OpenApiTypes.INT)
class AgencyIdFilter(django_filters.ModelChoiceFilter):
    """An agency by id; an unknown id is a 400 with the field named, not an empty list."""


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Tìm theo mã hoặc tên, không phân biệt dấu và hoa thường (search code or name)",
    )
    sector = django_filters.CharFilter(field_name="sector__code", label="Mã lĩnh vực (sector code)")
    level = django_filters.ChoiceFilter(choices=Procedure.Level.choices, label="Cấp thực hiện (level)")
    online_level = django_filters.ChoiceFilter(
        choices=Procedure.OnlineLevel.choices, label="Mức trực tuyến (online service level)"
    )
    agency = AgencyIdFilter(
        queryset=Agency.objects.all(),
        method="filter_agency",
        label="Chỉ thủ tục cơ quan này thực hiện (id; procedures this agency offers)",
    )

    class Meta:
        model = Procedure
        fields = ["q", "sector", "level", "online_level", "agency"]

    def filter_q(self, queryset, name, value):
        return search_procedures(queryset, value)

    def filter_agency(self, queryset, name, value):
        return procedures_offered_by(value, queryset) if value else queryset
