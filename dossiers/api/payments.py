"""Online payment over the API: the applicant starts paying a dossier's fee, and reads a payment's state."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.lifecycle import payments
from dossiers.models import PaymentTransaction


class PaymentSerializer(serializers.ModelSerializer):
    dossier_code = serializers.CharField(source="dossier.code", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = PaymentTransaction
        fields = [
            "code",
            "dossier_code",
            "amount",
            "state",
            "state_display",
            "payment_url",
            "created_at",
            "paid_at",
        ]
        read_only_fields = fields


class DossierPaymentView(APIView):
    """The dossier's applicant pays its fee: the answer's payment_url is the platform's page to open. 404 for
    anyone else, 409 when the dossier does not await a payment, 503 while the platform does not answer (try
    again: the same transaction and page are given back)."""

    @extend_schema(
        tags=["payments"],
        operation_id="dossiers_start_payment",
        summary="Thanh toán phí, lệ phí trực tuyến (Pay the fee online)",
        request=None,
        responses={200: PaymentSerializer},
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
    )
    def post(self, request: Request, code: str) -> Response:
        txn = payments.start_payment(code, request.user)
        return Response(PaymentSerializer(txn).data)


class PaymentDetailView(APIView):
    """One payment of the signed-in applicant: its state as the platform's verified confirmations left it."""

    @extend_schema(
        tags=["payments"],
        operation_id="payments_detail",
        summary="Trạng thái thanh toán (Payment state)",
        responses={200: PaymentSerializer},
        parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH)],
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(PaymentSerializer(payments.transaction_of(reference, request.user)).data)
