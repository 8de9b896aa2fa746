"""Public tracking API for citizens: a dossier's progress by code and PIN, no login, rate-limited per IP."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.public.tracking import track

from ..views.ratelimit import check_rate


class TimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()
    note = serializers.CharField()


class MissingSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class TrackingSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField(help_text="Trạng thái (mã nội bộ)")
    status_label = serializers.CharField(
        help_text="Trạng thái theo ngôn ngữ đã chọn, mặc định tiếng Việt (status in the chosen language)"
    )
    national_status_code = serializers.IntegerField(allow_null=True)
    procedure = serializers.CharField()
    applicant = serializers.CharField(help_text="Chữ cái đầu của họ tên, ví dụ «T. T. B.»")
    agency = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True, help_text="Ngày hẹn trả kết quả")
    returned_at = serializers.DateTimeField(allow_null=True)
    missing = MissingSerializer(many=True, help_text="Giấy tờ cần bổ sung khi có yêu cầu bổ sung")
    supplement_due_at = serializers.CharField(allow_null=True)
    result_url = serializers.SerializerMethodField()
    can_rate = serializers.BooleanField()
    satisfaction = serializers.CharField()
    timeline = TimelineSerializer(many=True)

    def get_result_url(self, obj) -> str | None:
        if not obj.has_result:
            return None
        return f"/tra-cuu/{obj.code}/ket-qua.pdf?pin={self.context['pin']}"


ERROR = inline_serializer(
    "PublicTrackError",
    {
        "error": inline_serializer(
            "PublicTrackErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "message_en": serializers.CharField(),
            },
        )
    },
)


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def tracking_json(info, pin: str) -> dict:
    """The TrackingSerializer shape built directly: the busiest read; plain dicts are ~10x
    cheaper than a nested DRF serializer (the serializer stays as the schema's documentation)."""
    return {
        "code": info.code,
        "status": info.status,
        "status_label": info.status_label,
        "national_status_code": info.national_status_code,
        "procedure": info.procedure,
        "applicant": info.applicant,
        "agency": info.agency,
        "received_at": _iso(info.received_at),
        "due_at": _iso(info.due_at),
        "returned_at": _iso(info.returned_at),
        "missing": info.missing,
        "supplement_due_at": info.supplement_due_at,
        "result_url": f"/tra-cuu/{info.code}/ket-qua.pdf?pin={pin}" if info.has_result else None,
        "can_rate": info.can_rate,
        "satisfaction": info.satisfaction,
        "timeline": [{"at": _iso(e.at), "text": e.text, "note": e.note} for e in info.timeline],
    }


class PublicTrackView(APIView):
    """A citizen follows a dossier with the code and PIN printed on the receipt."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Public tracking of a dossier by code and PIN",
        description=(
            "No login. An unknown code and a wrong PIN give the same 404 answer. Rate-limited per client IP "
            "(TRACKING_RATE_LIMIT, requests/seconds): 429 with a message in Vietnamese and English. "
            "Shows the applicant's initials only, never the ID number, phone or address."
        ),
        parameters=[
            OpenApiParameter("code", str, required=True, description="Mã hồ sơ"),
            OpenApiParameter("pin", str, required=True, description="Mã tra cứu"),
        ],
        responses={
            200: TrackingSerializer,
            404: OpenApiResponse(ERROR, description="Unknown code or wrong PIN"),
            429: OpenApiResponse(ERROR, description="Too many requests"),
        },
        tags=["public"],
    )
    def get(self, request):
        check_rate(request)
        pin = (request.query_params.get("pin") or "").strip()[:12]
        info = track((request.query_params.get("code") or "")[:60], pin)
        return Response(tracking_json(info, pin))
