"""Dossier endpoints: they translate HTTP to dossiers.selectors and dossiers.services, nothing more."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Agency, Role
from accounts.scoping import memberships
from config.errors import InvalidInput, field_error
from dossiers import selectors
from dossiers.lifecycle import services
from dossiers.lifecycle.workflow import ACTIONS
from procedures.models import Procedure

from .filters import DossierFilter
from .permissions import CanReceiveOrRead
from .serializers import (
    ACTION_SERIALIZERS,
    DossierDetailSerializer,
    DossierListSerializer,
    EventSerializer,
    IntakeResultSerializer,
    IntakeSerializer,
)


class DossierCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        # Ties (same due date) are broken by the newest first, so pages are stable.
        ordering = tuple(super().get_ordering(request, queryset, view))
        return ordering if ordering[0].lstrip("-") == "id" else (*ordering, "-id")


def _by_code(queryset, code: str, field: str, vi: str, en: str):
    obj = queryset.filter(code=code).first()
    if obj is None:
        raise InvalidInput(vi, en, fields={field: field_error(vi, en)})
    return obj


def _receiving_agency(user, code: str | None) -> Agency:
    """The agency named in the payload, or the clerk's only agency."""
    if code:
        return _by_code(
            Agency.objects, code, "agency", "Không tìm thấy cơ quan tiếp nhận.", "Unknown agency."
        )
    clerk_of = [agency_id for agency_id, role in memberships(user) if role == Role.CLERK]
    if len(clerk_of) != 1:
        raise InvalidInput(
            "Cần chọn cơ quan tiếp nhận.",
            "Choose the receiving agency.",
            fields={"agency": field_error("Bắt buộc.", "Required.")},
        )
    return Agency.objects.get(pk=clerk_of[0])


class DossierListCreateView(generics.ListAPIView):
    """GET: dossiers visible to the user (receiving or competent agency), filtered and ordered, by cursor.
    POST: counter intake; returns the code, the appointment and the tracking PIN."""

    serializer_class = DossierListSerializer
    permission_classes = [CanReceiveOrRead]
    pagination_class = DossierCursor
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = DossierFilter
    ordering_fields = ["id", "received_at", "due_at", "code"]
    ordering = ["-id"]

    def get_queryset(self):
        return selectors.dossier_list(self.request.user)

    @extend_schema(request=IntakeSerializer, responses={201: IntakeResultSerializer})
    def post(self, request: Request) -> Response:
        payload = IntakeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        procedure = _by_code(
            Procedure.objects.prefetch_related("requirements", "steps"),  # what intake reads of it
            data["procedure"],
            "procedure",
            "Không tìm thấy thủ tục.",
            "Unknown procedure.",
        )
        competent = None
        if data.get("competent_agency"):
            competent = _by_code(
                Agency.objects,
                data["competent_agency"],
                "competent_agency",
                "Không tìm thấy cơ quan giải quyết.",
                "Unknown competent agency.",
            )
        dossier = services.receive_at_counter(
            actor=request.user,
            agency=_receiving_agency(request.user, data.get("agency")),
            procedure=procedure,
            applicant=dict(data["applicant"]),
            provided_requirement_ids=data["provided_requirement_ids"],
            channel=data["channel"],
            subject=data.get("subject", ""),
            sets=data["sets"],
            competent_agency=competent,
            missing=[dict(m) for m in data.get("missing") or []] or None,
        )
        return Response(IntakeResultSerializer(dossier).data, status=status.HTTP_201_CREATED)


class DossierDetailView(APIView):
    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        dossier = selectors.dossier_detail(request.user, code)
        return Response(DossierDetailSerializer(dossier, context={"request": request}).data)


class DossierHistoryView(APIView):
    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        dossier = selectors.dossier_detail(request.user, code)
        return Response(EventSerializer(selectors.dossier_history(dossier), many=True).data)


class DossierActionView(APIView):
    """Perform one workflow action; 409 when the status does not allow it, 403 when the role does not, 400
    naming the fields when workflow.clean_inputs refuses the body (the body is passed on unvalidated here)."""

    action_name = ""

    def post(self, request: Request, code: str) -> Response:
        dossier = selectors.dossier_detail(request.user, code)
        services.perform(dossier.code, self.action_name, request.user, request.data)
        fresh = selectors.dossier_detail(request.user, code)
        return Response(DossierDetailSerializer(fresh, context={"request": request}).data)


def action_view(name: str):
    """A view class per action, so the schema documents each action's own payload."""
    action = ACTIONS[name]

    def post(self, request: Request, code: str) -> Response:
        return DossierActionView.post(self, request, code)

    post = extend_schema(
        operation_id=f"dossiers_action_{name}",
        summary=f"{action.label_vi} ({action.label_en})",
        description=f"Allowed statuses (trạng thái cho phép): {', '.join(action.sources)}.",
        request=ACTION_SERIALIZERS[name],
        responses={200: DossierDetailSerializer},
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
    )(post)
    return type(
        f"{name.title().replace('_', '')}View", (DossierActionView,), {"action_name": name, "post": post}
    )
