"""The citizen's API: their own dossiers (list, detail with the public timeline and what is asked), filing
online through a server-side draft, answering a supplement request, withdrawing and rating. Everything is
scoped to the signed-in account's own filings (dossiers.selectors.portal): another citizen's dossier or
draft is a 404. Thin: dossiers.lifecycle.portal does the work."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Agency
from config.errors import InvalidInput, field_error
from dossiers.documents.issuing import FORM_NAMES
from dossiers.lifecycle import portal as services
from dossiers.models import Dossier, DraftComponent, OnlineDraft
from dossiers.selectors import portal as selectors

from .public import TimelineSerializer
from .views import DossierCursor

_CODE = [OpenApiParameter("code", str, OpenApiParameter.PATH)]
_DRAFT = [OpenApiParameter("draft_id", int, OpenApiParameter.PATH)]


class AskedItemSerializer(serializers.Serializer):
    requirement_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    reason = serializers.CharField()


class AskedSerializer(serializers.Serializer):
    """What the centre asks of the citizen now: the components of the supplement request (Mẫu 02) and its
    deadline, or the fee to pay."""

    missing = AskedItemSerializer(many=True)
    supplement_due_at = serializers.DateTimeField(allow_null=True)
    fee_amount = serializers.IntegerField(help_text="Phí, lệ phí cần nộp (đồng); 0 khi không yêu cầu")


class PortalFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    download_url = serializers.CharField()


class PortalFormSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    download_url = serializers.CharField()


class PortalDossierSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    status_label = serializers.CharField(source="get_status_display")
    national_status_code = serializers.IntegerField(allow_null=True)
    asked = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure_code",
            "procedure_name",
            "receiving_agency",
            "status",
            "status_label",
            "national_status_code",
            "submitted_at",
            "received_at",
            "due_at",
            "returned_at",
            "return_method",
            "satisfaction",
            "asked",
        ]

    @extend_schema_field(AskedSerializer)
    def get_asked(self, dossier: Dossier) -> dict:
        asked = selectors.asked_of(dossier, self.context.get("events"))
        items = [
            {
                "requirement_id": m.get("requirement_id"),
                "name": m.get("name", ""),
                "reason": m.get("reason", ""),
            }
            for m in asked.missing
        ]
        return {
            "missing": items,
            "supplement_due_at": asked.supplement_due_at,
            "fee_amount": asked.fee_amount,
        }


class PortalDossierDetailSerializer(PortalDossierSerializer):
    tracking_pin = serializers.CharField()
    timeline = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    forms = serializers.SerializerMethodField()

    class Meta(PortalDossierSerializer.Meta):
        fields = [*PortalDossierSerializer.Meta.fields, "tracking_pin", "timeline", "files", "forms"]

    @extend_schema_field(TimelineSerializer(many=True))
    def get_timeline(self, dossier: Dossier) -> list:
        return TimelineSerializer(selectors.citizen_timeline(self.context["events"]), many=True).data

    @extend_schema_field(PortalFileSerializer(many=True))
    def get_files(self, dossier: Dossier) -> list:
        return [
            {"id": d.pk, "name": d.name, "kind": d.kind, "download_url": f"/api/v1/documents/{d.pk}/download"}
            for d in selectors.citizen_documents(dossier)
        ]

    @extend_schema_field(PortalFormSerializer(many=True))
    def get_forms(self, dossier: Dossier) -> list:
        return [
            {
                "number": n,
                "title": _(FORM_NAMES[n]),
                "download_url": f"/cong-dan/ho-so/{dossier.code}/mau-{n}.pdf",
            }
            for n in selectors.citizen_forms(dossier, self.context["events"])
        ]


def _detail(user, dossier: Dossier) -> dict:
    fresh = selectors.citizen_dossier(user, dossier.code)
    events = selectors.public_events(fresh)
    return PortalDossierDetailSerializer(fresh, context={"events": events}).data


class PortalDossierList(generics.ListAPIView):
    """The signed-in citizen's own dossiers, newest first (by cursor)."""

    serializer_class = PortalDossierSerializer
    pagination_class = DossierCursor

    def get_queryset(self):
        return selectors.citizen_dossiers(self.request.user)


class PortalDossierDetail(APIView):
    @extend_schema(responses=PortalDossierDetailSerializer, parameters=_CODE, summary="One of my dossiers")
    def get(self, request: Request, code: str) -> Response:
        return Response(_detail(request.user, selectors.citizen_dossier(request.user, code)))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Lý do rút hồ sơ")


class PortalWithdraw(APIView):
    @extend_schema(
        request=WithdrawSerializer,
        responses=PortalDossierDetailSerializer,
        parameters=_CODE,
        summary="Withdraw",
    )
    def post(self, request: Request, code: str) -> Response:
        dossier = selectors.citizen_dossier(request.user, code)
        reason = request.data.get("reason", "") if hasattr(request.data, "get") else ""
        services.withdraw(request.user, dossier, reason if isinstance(reason, str) else "")
        return Response(_detail(request.user, dossier))


class RatingSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Dossier.Satisfaction.choices)


class PortalRate(APIView):
    @extend_schema(
        request=RatingSerializer, responses=PortalDossierDetailSerializer, parameters=_CODE, summary="Rate"
    )
    def post(self, request: Request, code: str) -> Response:
        dossier = selectors.citizen_dossier(request.user, code)
        value = request.data.get("satisfaction", "") if hasattr(request.data, "get") else ""
        services.rate(request.user, dossier, value if isinstance(value, str) else "")
        return Response(_detail(request.user, dossier))


class SupplementSerializer(serializers.Serializer):
    requirement = serializers.ListField(
        child=serializers.IntegerField(), help_text="Thành phần của từng tệp, theo thứ tự của `file`"
    )
    file = serializers.ListField(child=serializers.FileField(), help_text="Một tệp cho mỗi thành phần")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PortalSupplement(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=SupplementSerializer,
        responses=PortalDossierDetailSerializer,
        parameters=_CODE,
        summary="Answer a supplement request",
        description="A file for every component the request lists; the clock resumes.",
    )
    def post(self, request: Request, code: str) -> Response:
        dossier = selectors.citizen_dossier(request.user, code)
        data = SupplementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirements, files = data.validated_data["requirement"], data.validated_data["file"]
        if len(requirements) != len(files):
            raise InvalidInput(
                "Mỗi tệp cần một thành phần.",
                "Each file needs its component.",
                fields={"requirement": field_error("Không khớp với số tệp.", "Does not match the files.")},
            )
        services.answer_supplement(
            request.user,
            dossier,
            dict(zip(requirements, files, strict=True)),
            {},
            data.validated_data.get("note", ""),
        )
        return Response(_detail(request.user, dossier))


# --- drafts -----------------------------------------------------------------------------------------------


class DraftComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftComponent
        fields = ["requirement", "name", "content_type", "size", "sha256", "reused_from"]


class DraftSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    agency = serializers.CharField(source="agency.code")
    components = DraftComponentSerializer(many=True)

    class Meta:
        model = OnlineDraft
        fields = [
            "id",
            "procedure",
            "agency",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "subject",
            "components",
            "updated_at",
        ]


class DraftCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=32, help_text="Mã thủ tục, ví dụ 1.001193")
    agency = serializers.CharField(max_length=13, help_text="Mã định danh nơi tiếp nhận")


class DraftUpdateSerializer(serializers.Serializer):
    applicant_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    applicant_id_number = serializers.CharField(required=False, allow_blank=True, max_length=12)
    applicant_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    applicant_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    applicant_address = serializers.CharField(required=False, allow_blank=True, max_length=500)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DraftComponentUploadSerializer(serializers.Serializer):
    requirement = serializers.IntegerField()
    file = serializers.FileField(required=False, help_text="A file to upload …")
    document = serializers.IntegerField(required=False, help_text="… or a digitised document to reuse")


def _draft(request: Request, draft_id: int) -> OnlineDraft:
    return selectors.citizen_draft(request.user, draft_id)


class PortalDraftList(APIView):
    @extend_schema(responses=DraftSerializer(many=True), summary="My drafts")
    def get(self, request: Request) -> Response:
        drafts = selectors.citizen_drafts(request.user).prefetch_related("components")[:100]
        return Response(DraftSerializer(drafts, many=True).data)

    @extend_schema(request=DraftCreateSerializer, responses={201: DraftSerializer}, summary="Start a draft")
    def post(self, request: Request) -> Response:
        data = DraftCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = selectors.catalogue_procedure(data.validated_data["procedure"])
        agency = Agency.objects.filter(code=data.validated_data["agency"], active=True).first()
        if agency is None:
            raise InvalidInput(
                "Không tìm thấy nơi tiếp nhận.",
                "Unknown agency.",
                fields={"agency": field_error("Không tìm thấy.", "Unknown.")},
            )
        draft = services.start_draft(request.user, procedure, agency)
        return Response(DraftSerializer(_draft(request, draft.pk)).data, status=201)


class PortalDraftDetail(APIView):
    @extend_schema(responses=DraftSerializer, parameters=_DRAFT, summary="A draft")
    def get(self, request: Request, draft_id: int) -> Response:
        return Response(DraftSerializer(_draft(request, draft_id)).data)

    @extend_schema(
        request=DraftUpdateSerializer, responses=DraftSerializer, parameters=_DRAFT, summary="Save"
    )
    def patch(self, request: Request, draft_id: int) -> Response:
        draft = _draft(request, draft_id)
        data = DraftUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_draft(request.user, draft, data.validated_data)
        return Response(DraftSerializer(_draft(request, draft_id)).data)

    @extend_schema(responses={204: None}, parameters=_DRAFT, summary="Discard a draft")
    def delete(self, request: Request, draft_id: int) -> Response:
        services.delete_draft(request.user, _draft(request, draft_id))
        return Response(status=204)


class PortalDraftComponents(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=DraftComponentUploadSerializer,
        responses={201: DraftSerializer},
        parameters=_DRAFT,
        summary="Upload or reuse a component",
    )
    def post(self, request: Request, draft_id: int) -> Response:
        draft = _draft(request, draft_id)
        data = DraftComponentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("file") is not None:
            services.attach_to_draft(request.user, draft, values["requirement"], values["file"])
        else:
            services.reuse_in_draft(request.user, draft, values["requirement"], values.get("document"))
        return Response(DraftSerializer(_draft(request, draft_id)).data, status=201)


class PortalDraftSubmit(APIView):
    @extend_schema(
        request=None,
        responses={201: PortalDossierDetailSerializer},
        parameters=_DRAFT,
        summary="Submit a draft",
        description="The dossier is coded and submitted (status 1); the receipt goes by e-mail/SMS.",
    )
    def post(self, request: Request, draft_id: int) -> Response:
        dossier = services.submit_draft(request.user, _draft(request, draft_id))
        return Response(_detail(request.user, dossier), status=201)
