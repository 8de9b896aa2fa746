"""Statistics API: the dashboard's tables as JSON, computed by the same builders as the HTML and exports."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.reporting import parse_period, report_scope
from dossiers.reporting.tables import build

PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="Ngày đầu kỳ (YYYY-MM-DD); mặc định đầu tháng này."
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ngày cuối kỳ (YYYY-MM-DD); kỳ tối đa 5 năm."),
    OpenApiParameter(
        "preset",
        OpenApiTypes.STR,
        enum=["month", "quarter", "year"],
        description="Tháng, quý hoặc năm hiện tại (thay cho from/to).",
    ),
    OpenApiParameter(
        "agency",
        OpenApiTypes.INT,
        description="Chỉ cơ quan này và các cơ quan cấp dưới (trong phạm vi được giám sát).",
    ),
]

TableResponse = inline_serializer(
    "StatsTable",
    {
        "table": serializers.CharField(),
        "title": serializers.CharField(),
        "period": inline_serializer(
            "StatsPeriod", {"from": serializers.DateField(), "to": serializers.DateField()}
        ),
        "agency": serializers.IntegerField(allow_null=True),
        "columns": serializers.ListField(
            child=inline_serializer(
                "StatsColumn", {"key": serializers.CharField(), "label": serializers.CharField()}
            )
        ),
        "rows": serializers.ListField(child=serializers.DictField()),
        "total": serializers.DictField(allow_null=True),
    },
)
ERROR = inline_serializer("StatsError", {"error": serializers.DictField()})


class StatsTableView(APIView):
    """One table of the supervisor dashboard for a period, scoped to the agencies the user supervises."""

    table_name = "summary"

    def get(self, request):
        period = parse_period(request.query_params)
        scope = report_scope(request.user, request.query_params.get("agency"))
        table = build(self.table_name, scope, period)
        return Response(
            {
                "table": table.name,
                "title": str(table.title),
                "period": {"from": period.start, "to": period.end},
                "agency": scope.selected,
                "columns": [{"key": k, "label": str(label)} for k, label in table.columns],
                "rows": [{k: v for k, v in row.items()} for row in table.rows],
                # The totals row of a table by agency, procedure, sector or month (the summary's figures).
                "total": table.total,
            }
        )


def _view(name: str, summary: str, description: str) -> type[StatsTableView]:
    schema = extend_schema(
        operation_id=f"stats_{name.replace('-', '_')}",
        summary=summary,
        description=description,
        parameters=PARAMETERS,
        responses={200: TableResponse, 400: ERROR, 403: ERROR},
        tags=["stats"],
    )

    # A method of its own: the schema is kept on the function, and an inherited one is shared by every table.
    def get(self, request):
        return StatsTableView.get(self, request)

    return type(
        f"Stats{name.title().replace('-', '')}View",
        (StatsTableView,),
        {"table_name": name, "get": schema(get)},
    )


_COMMON = (
    "Counts follow Decision 766/QĐ-TTg: received (new + carried over) = processed (a result in the period: "
    "early/on time/late) + in progress on time/late at the end of the period + withdrawn + stopped; refused "
    "at intake counted in the period refused, outside received and every rate; with supplement requests; "
    "average and 90th-percentile working days of processed dossiers; on_time_rate in percent = (early + on "
    "time + in progress on time) / (processed + in progress), null without such dossiers. Tables by agency, "
    "procedure, sector and month carry `total`, the summary of the period. Bad period: 400 with a "
    "bilingual error body."
)
# Summaries name the table in both languages (the schema is one document for integrators of either).
SummaryView = _view(
    "summary",
    "Tổng hợp kỳ báo cáo (Period summary)",
    "One row: the totals of the whole scope for the period. " + _COMMON,
)
ByAgencyView = _view(
    "by-agency",
    "Theo cơ quan giải quyết (By competent agency)",
    "One row per competent agency of the scope. " + _COMMON,
)
ByProcedureView = _view(
    "by-procedure",
    "Theo thủ tục (By procedure)",
    "One row per procedure with dossiers in the period. " + _COMMON,
)
BySectorView = _view(
    "by-sector",
    "Theo lĩnh vực (By sector)",
    "One row per sector (lĩnh vực) of the procedures. " + _COMMON,
)
ByMonthView = _view(
    "by-month",
    "Theo tháng (By month)",
    "One row per calendar month of the period, in order; the dashboard's "
    "on-time chart is drawn from it. " + _COMMON,
)
IndicatorsView = _view(
    "indicators",
    "Chỉ số phục vụ theo QĐ 766 (Service indicators)",
    "One row per agency: the indicators of Decision 766/QĐ-TTg as rates in percent and the score out of "
    "100 (see dossiers/reporting/indicators.py). Bad period: 400 with a bilingual error body.",
)
RankingView = _view(
    "ranking",
    "Xếp hạng xã, phường (Ranking of wards)",
    "The wards and communes of the scope ordered by their indicator score, best first, with their rank. "
    "Bad period: 400 with a bilingual error body.",
)
