"""The desk's lookup of an applicant in the national population database (clerks only, rate-limited)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.lifecycle.population import look_up_applicant

from ..views.ratelimit import check_user_rate
from .permissions import CanReceiveOrRead
from .views import _receiving_agency

MESSAGES = {
    "found": ("Đã tìm thấy trong CSDL dân cư.", "Found in the population database."),
    "not_found": (
        "Không tìm thấy số định danh trong CSDL dân cư.",
        "The ID is not in the population database.",
    ),
    "unavailable": (
        "Chưa kết nối được CSDL dân cư: nhập tay, hồ sơ được ghi chưa xác thực và đối chiếu sau.",
        "The population database cannot be reached: enter the details by hand; the dossier is marked "
        "not verified and checked later.",
    ),
}


class LookupRequestSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=20, help_text="Số định danh cá nhân, 12 chữ số")
    agency = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Mã cơ quan tiếp nhận; mặc định cơ quan duy nhất của công chức",
    )


class CitizenSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    name = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    gender = serializers.ChoiceField(choices=["male", "female", ""])
    address = serializers.CharField(help_text="Nơi thường trú")
    id_issued_on = serializers.DateField(allow_null=True)
    id_issued_by = serializers.CharField()


class LookupResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=list(MESSAGES), help_text="unavailable: kết nối gián đoạn, tiếp nhận vẫn được (chưa xác thực)"
    )
    citizen = CitizenSerializer(allow_null=True)
    message = serializers.CharField()
    message_en = serializers.CharField()


class PopulationLookupView(APIView):
    permission_classes = [CanReceiveOrRead]  # POST: a clerk somewhere; the service checks the agency

    @extend_schema(
        operation_id="population_lookup",
        summary="Tra cứu CSDL quốc gia về dân cư (Look up the population database)",
        description=(
            "A clerk looks up the applicant by the 12-digit ID before intake (403 for other roles). The call "
            "waits at most POPULATION_TIMEOUT seconds and answers at once while the link's circuit is open "
            "(status unavailable). The answer is kept on the server for the intake that follows, which is "
            "then recorded as verified when the name and date of birth match. Rate-limited per user "
            "(POPULATION_LOOKUP_RATE_LIMIT)."
        ),
        request=LookupRequestSerializer,
        responses={200: LookupResultSerializer},
        tags=["population"],
    )
    def post(self, request: Request) -> Response:
        payload = LookupRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        agency = _receiving_agency(request.user, data.get("agency"))
        check_user_rate(request, "population", settings.POPULATION_LOOKUP_RATE_LIMIT)
        result = look_up_applicant(request.user, agency, data["id_number"])
        vi, en = MESSAGES[result.status]
        body = {
            "status": result.status,
            "citizen": CitizenSerializer(result.citizen).data if result.citizen else None,
            "message": vi,
            "message_en": en,
        }
        return Response(body)
