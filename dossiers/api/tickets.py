"""Queue endpoints: issue a number, call the next one at a counter, and the supervisor's queue report; they
translate HTTP to dossiers.queueing, nothing more."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import InvalidInput, field_error
from dossiers.models.tickets import Ticket
from dossiers.queueing import services
from dossiers.queueing.report import TABLES
from dossiers.reporting import parse_period, report_scope

from .stats import PARAMETERS


class TicketSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    counter = serializers.CharField(source="counter.__str__", default=None, read_only=True)
    status_url = serializers.SerializerMethodField()
    # Plain text in the schema (the dossier's status keeps the enum named "status").
    status = serializers.CharField(read_only=True, help_text="waiting, called, serving, done, no_show")

    class Meta:
        model = Ticket
        fields = [
            "label",
            "number",
            "day",
            "area",
            "area_name",
            "status",
            "issued_at",
            "called_at",
            "counter",
            "status_url",
        ]
        read_only_fields = fields

    def get_status_url(self, ticket: Ticket) -> str:
        """The public waiting-status page (its random token is the only way to it)."""
        return f"{settings.PUBLIC_BASE_URL}{reverse('ticket-status', args=[ticket.token])}"


class IssueSerializer(serializers.Serializer):
    area = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Khu vực phục vụ (id)")


class IssueView(APIView):
    """A staff member of the agency issues the next number of a service area (as the kiosk does)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tickets_issue",
        summary="Cấp số thứ tự (Issue a queue number)",
        request=IssueSerializer,
        responses={201: TicketSerializer},
        tags=["tickets"],
    )
    def post(self, request):
        payload = IssueSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ticket = services.issue_ticket(payload.validated_data["area"], actor=request.user)
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class CallNextView(APIView):
    """The counter calls its next waiting number (409 when nobody waits or the counter is still serving)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="counters_call_next",
        summary="Gọi số tiếp theo (Call the next number)",
        request=None,
        responses={200: TicketSerializer},
        tags=["tickets"],
    )
    def post(self, request, counter_id: int):
        ticket = services.call_next(counter_id, request.user)
        return Response(TicketSerializer(ticket).data)


ReportResponse = inline_serializer(
    "TicketReport",
    {
        "table": serializers.CharField(),
        "title": serializers.CharField(),
        "period": inline_serializer(
            "TicketReportPeriod", {"from": serializers.DateField(), "to": serializers.DateField()}
        ),
        "agency": serializers.IntegerField(allow_null=True),
        "columns": serializers.ListField(
            child=inline_serializer(
                "TicketReportColumn", {"key": serializers.CharField(), "label": serializers.CharField()}
            )
        ),
        "rows": serializers.ListField(child=serializers.DictField()),
    },
)


class ReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tickets_report",
        summary="Thời gian chờ và phục vụ (Queue waiting and service times)",
        description=(
            "Per counter and day (table=counter) or per agency and day (table=day): tickets called, served "
            "and absent (no-show); average waiting minutes (issued to called) and service minutes (started, "
            "else called, to finished). Scoped to the agencies the user supervises."
        ),
        parameters=[
            *PARAMETERS,
            OpenApiParameter("table", OpenApiTypes.STR, enum=list(TABLES), description="Bảng (table)"),
        ],
        responses={200: ReportResponse},
        tags=["tickets"],
    )
    def get(self, request):
        period = parse_period(request.query_params)
        scope = report_scope(request.user, request.query_params.get("agency"))
        name = request.query_params.get("table", "counter")
        if name not in TABLES:
            raise InvalidInput(
                "Bảng không hợp lệ.",
                "Unknown table.",
                fields={"table": field_error("Chọn counter hoặc day.", "Use counter or day.")},
            )
        table = TABLES[name](scope, period)
        return Response(
            {
                "table": table.name,
                "title": str(table.title),
                "period": {"from": period.start, "to": period.end},
                "agency": scope.selected,
                "columns": [{"key": k, "label": str(label)} for k, label in table.columns],
                "rows": table.rows,
            }
        )
