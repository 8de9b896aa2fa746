"""The signed-in user's notifications over the API: list (filter ?unread=true), mark one or all read."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound

from ..models import Notification
from ..notify import inbox


class NotificationSerializer(serializers.ModelSerializer):
    dossier_code = serializers.CharField(source="dossier.code", default=None, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "title_en",
            "body_en",
            "dossier_code",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


@extend_schema(
    tags=["notifications"],
    parameters=[OpenApiParameter("unread", bool, description="Chỉ thông báo chưa đọc / unread only")],
)
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no signed-in user
            return Notification.objects.none()
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return inbox.for_user(self.request.user, unread_only=unread)


@extend_schema(tags=["notifications"], request=None, responses=MarkedSerializer)
class NotificationReadView(APIView):
    def post(self, request, pk: int):
        if not Notification.objects.filter(pk=pk, user=request.user).exists():
            raise NotFound("Không tìm thấy thông báo.", "Notification not found.")
        marked = inbox.mark_read(request.user, [pk])
        return Response({"marked": marked, "unread": inbox.unread_count(request.user)})


@extend_schema(tags=["notifications"], request=None, responses=MarkedSerializer)
class NotificationReadAllView(APIView):
    def post(self, request):
        marked = inbox.mark_all_read(request.user)
        return Response({"marked": marked, "unread": 0})
