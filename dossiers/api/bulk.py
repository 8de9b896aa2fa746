"""Bulk action endpoints: one POST per action the desk offers on a selection, an outcome per code."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dossiers.lifecycle import bulk
from dossiers.lifecycle.workflow import ACTIONS
from dossiers.models.dossier import DOSSIER_CODE_LENGTH

from .serializers import ACTION_SERIALIZERS


class BulkErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(help_text="Tiếng Việt")
    message_en = serializers.CharField(help_text="English")
    fields = serializers.DictField(required=False, help_text="Lỗi theo từng trường")


class BulkOutcomeSerializer(serializers.Serializer):
    code = serializers.CharField()
    ok = serializers.BooleanField(help_text="Đã thực hiện (done); false: bị từ chối, xem error")
    error = BulkErrorSerializer(allow_null=True, help_text="Lý do từ chối, như khi thực hiện từng hồ sơ")


def _request_serializer(name: str) -> type[serializers.Serializer]:
    """The action's own payload (ACTION_SERIALIZERS, for the schema only) and the selected codes."""
    codes = serializers.ListField(
        child=serializers.CharField(max_length=DOSSIER_CODE_LENGTH),
        min_length=1,
        max_length=bulk.MAX_BATCH,
        help_text=f"Mã hồ sơ, tối đa {bulk.MAX_BATCH} (dossier codes, at most {bulk.MAX_BATCH})",
    )
    camel = "".join(part.title() for part in name.split("_"))
    return type(f"Bulk{camel}Serializer", (ACTION_SERIALIZERS[name],), {"codes": codes})


class BulkActionView(APIView):
    """Perform the action on every code, each as one POST of dossiers/<code>/actions/<action>/ would, in its
    own transaction; 200 with one {code, ok, error} per code in the order sent (a code the user may not see
    is not_found). 400 when the codes or the inputs are wrong for every dossier alike (nothing is done)."""

    action_name = ""

    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        codes = data.getlist("codes") if hasattr(data, "getlist") else data.get("codes")
        outcomes = bulk.perform_many(codes, self.action_name, request.user, data)
        return Response([o.as_dict() for o in outcomes])


def bulk_view(name: str):
    """A view class per bulk action, so the schema documents each action's own payload."""
    action = ACTIONS[name]

    def post(self, request: Request) -> Response:
        return BulkActionView.post(self, request)

    post = extend_schema(
        operation_id=f"dossiers_bulk_{name}",
        summary=f"{action.label_vi} hàng loạt ({action.label_en}, many dossiers)",
        description=f"Allowed statuses (trạng thái cho phép): {', '.join(action.sources)}.",
        request=_request_serializer(name),
        responses={200: BulkOutcomeSerializer(many=True)},
    )(post)
    camel = "".join(part.title() for part in name.split("_"))
    return type(f"Bulk{camel}View", (BulkActionView,), {"action_name": name, "post": post})
