"""The public due-date preview: when will a dossier received now be due, and which days are skipped."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import InvalidInput
from procedures.calendar import (
    CUTOFF_SCOPES,
    START_RULES,
    UNITS,
    WORKING_DAYS,
    due_preview,
    parse_days,
    parse_received,
    procedure_terms,
)

_skipped_days = inline_serializer(
    "SkippedDay",
    fields={
        "date": serializers.DateField(),
        "working": serializers.BooleanField(),
        "reason": serializers.CharField(help_text="Tiếng Việt"),
        "reason_en": serializers.CharField(),
    },
    many=True,
)
_error = inline_serializer(
    "DueDateError",
    {
        "error": inline_serializer(
            "DueDateErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "message_en": serializers.CharField(),
            },
        )
    },
)
_preview = inline_serializer(
    "DueDatePreview",
    {
        "start": serializers.DateTimeField(),
        "days": serializers.IntegerField(),
        "unit": serializers.ChoiceField(choices=UNITS),
        "procedure": inline_serializer(
            "DueDateProcedure",
            {"code": serializers.CharField(), "name": serializers.CharField()},
            allow_null=True,
        ),
        "counts_from": serializers.DateField(
            help_text="Ngày bắt đầu tính (ngày nghỉ, hoặc sau giờ chốt với thủ tục trong ngày: "
            "ngày làm việc kế tiếp)"
        ),
        "after_cutoff": serializers.BooleanField(help_text="Như cutoff_applied (tên cũ)"),
        "cutoff": serializers.CharField(help_text="Giờ chốt, ví dụ 15:00 (OFFICE_CUTOFF)"),
        "cutoff_scope": serializers.ChoiceField(
            choices=CUTOFF_SCOPES,
            help_text="Giờ chốt áp dụng cho: same_day (thủ tục trong ngày) hoặc all (mọi thủ tục)",
        ),
        "cutoff_applies": serializers.BooleanField(help_text="Giờ chốt có áp dụng cho thủ tục này không"),
        "cutoff_applied": serializers.BooleanField(
            help_text="Giờ chốt đã chuyển ngày bắt đầu tính sang ngày làm việc tiếp theo"
        ),
        "rule": serializers.ChoiceField(choices=START_RULES, help_text="Quy tắc xác định ngày bắt đầu tính"),
        "rule_text": serializers.CharField(help_text="Quy tắc bằng tiếng Việt"),
        "rule_text_en": serializers.CharField(),
        "due": serializers.DateField(),
        "due_at": serializers.DateTimeField(),
        "working_days_counted": serializers.IntegerField(),
        "skipped": _skipped_days,
    },
)


class DueDateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="calendar_due_date",
        summary="Tính ngày hẹn trả kết quả",
        description="Ngày hẹn trả cho hồ sơ tiếp nhận lúc `start`, theo `days` (và `unit`) hoặc theo mã "
        "thủ tục `procedure`, bỏ qua ngày nghỉ cuối tuần, ngày lễ, Tết và ngày nghỉ/làm bù.",
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATETIME,
                required=True,
                description="Thời điểm tiếp nhận, ví dụ 2026-02-13T10:00 (giờ Việt Nam)",
            ),
            OpenApiParameter("days", OpenApiTypes.INT, description="Số ngày giải quyết (0 = trong ngày)"),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                enum=list(UNITS),
                default=WORKING_DAYS,
                description="Đơn vị khi dùng days",
            ),
            OpenApiParameter("procedure", OpenApiTypes.STR, description="Mã thủ tục, thay cho days"),
        ],
        responses={200: _preview, 400: _error},
        examples=[
            OpenApiExample(
                "Trước Tết 2026",
                value={"start": "2026-02-13T10:00:00+07:00", "days": 5, "due": "2026-02-27"},
                response_only=True,
            )
        ],
        tags=["calendar"],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        received_at = parse_received(params.get("start"))
        has_days, has_procedure = params.get("days") not in (None, ""), bool(params.get("procedure"))
        if has_days == has_procedure:
            raise InvalidInput(
                "Cần đúng một trong hai: days hoặc procedure.",
                "Give exactly one of days or procedure.",
                code="days_or_procedure",
            )
        procedure = None
        if has_procedure:
            days, unit, procedure = procedure_terms(params["procedure"])
        else:
            days, unit = parse_days(params["days"]), params.get("unit") or WORKING_DAYS
        return Response({**due_preview(received_at, days, unit), "procedure": procedure})
