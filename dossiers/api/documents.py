"""API for documents: printed forms, uploads and reuse, downloads, the Mẫu 07 register, signature checks."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound
from dossiers.documents import issuing as documents
from dossiers.documents import registers, uploads

from ..models import Document
from ..views.ratelimit import check_rate


class DocumentSerializer(serializers.ModelSerializer):
    requirement_name = serializers.CharField(source="requirement.name", default="", read_only=True)
    dossier_code = serializers.CharField(source="dossier.code", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "dossier_code",
            "kind",
            "name",
            "requirement",
            "requirement_name",
            "content_type",
            "size",
            "sha256",
            "digitised",
            "signed",
            "signature",
            "reused_from",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, doc: Document) -> str:
        return f"/api/v1/documents/{doc.pk}/download"


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    requirement = serializers.IntegerField(required=False, allow_null=True)
    digitised = serializers.BooleanField(default=True)


class ReuseSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    requirement = serializers.IntegerField(required=False, allow_null=True)


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class VerdictSerializer(serializers.Serializer):
    """The signature check of a PDF (signing.Verdict), messages in both languages."""

    valid = serializers.BooleanField(help_text="The signature is valid and covers the whole file")
    signed = serializers.BooleanField(help_text="The file carries a digital signature")
    intact = serializers.BooleanField(help_text="The signed bytes are unchanged")
    trusted = serializers.BooleanField(help_text="The signing certificate chains to a trusted root")
    covers_whole_file = serializers.BooleanField()
    signer = serializers.CharField(help_text="Common name of the signing certificate")
    issuer = serializers.CharField()
    signed_at = serializers.CharField(help_text="ISO 8601 time the signer reported; empty when unknown")
    message = serializers.CharField(help_text="The verdict in Vietnamese")
    message_en = serializers.CharField(help_text="The verdict in English")
    dossier_code = serializers.CharField(help_text="The dossier the result belongs to; empty when unknown")
    procedure = serializers.CharField(help_text="The procedure's name; empty when unknown")


class CodeVerificationSerializer(VerdictSerializer):
    """A dossier's signed result and its signature check."""

    procedure_code = serializers.CharField(help_text="National code of the procedure")
    agency = serializers.CharField(help_text="The competent agency that signed the result")
    outcome = serializers.CharField(help_text="The outcome (approved or denied), in the reader's language")
    sha256 = serializers.CharField(help_text="SHA-256 of the stored result file")


_ERROR = inline_serializer(
    "VerifyError",
    {
        "error": inline_serializer(
            "VerifyErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "message_en": serializers.CharField(),
            },
        )
    },
)


# Chrome shows an inline PDF in a page of its own with inline styles and an <embed>: the HTML pages' policy
# would leave it blank. A PDF runs no script of ours; X-Frame-Options still applies.
@csp_exempt()
def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def download_response(doc: Document) -> FileResponse:
    if not doc.file:
        raise NotFound("Tài liệu không có tệp đính kèm.", "The document has no file.")
    ext = doc.file.name.rsplit(".", 1)[-1] if "." in doc.file.name else "bin"
    return FileResponse(
        default_storage.open(doc.file.name, "rb"),
        content_type=doc.content_type or None,
        as_attachment=True,
        filename=f"{doc.dossier.code}-{doc.pk}.{ext}",
    )


class FormPdfView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "number",
                str,
                OpenApiParameter.PATH,
                enum=list(documents.DOSSIER_FORMS),
                description="; ".join(f"{n}: {documents.FORM_NAMES[n]}" for n in documents.DOSSIER_FORMS),
            )
        ],
        responses={(200, "application/pdf"): bytes},
        summary="Form (Mẫu số 01–06, Circular 03/2025/TT-VPCP) of a dossier as PDF, by its number",
    )
    def get(self, request, code: str, number: str):
        dossier = documents.visible_dossier(request.user, code)
        return pdf_response(documents.render_form(dossier, number), f"mau-{number}-{dossier.code}.pdf")


class DocumentListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=DocumentSerializer(many=True), summary="Documents of a dossier")
    def get(self, request, code: str):
        dossier = documents.visible_dossier(request.user, code)
        return Response(DocumentSerializer(uploads.dossier_documents(dossier), many=True).data)

    @extend_schema(
        request=UploadSerializer, responses={201: DocumentSerializer}, summary="Upload a component"
    )
    def post(self, request, code: str):
        dossier = documents.visible_dossier(request.user, code)
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = uploads.attach_component(
            dossier,
            uploads.requirement_for(dossier, data.validated_data.get("requirement")),
            data.validated_data["file"],
            request.user,
            digitised=data.validated_data["digitised"],
        )
        return Response(DocumentSerializer(doc).data, status=201)


class ReusableDocumentsView(APIView):
    @extend_schema(responses=DocumentSerializer(many=True), summary="The applicant's reusable digitised data")
    def get(self, request, code: str):
        dossier = documents.visible_dossier(request.user, code)
        return Response(DocumentSerializer(uploads.reusable_documents(dossier)[:200], many=True).data)


class ReuseDocumentView(APIView):
    @extend_schema(request=ReuseSerializer, responses={201: DocumentSerializer}, summary="Reuse a document")
    def post(self, request, code: str):
        dossier = documents.visible_dossier(request.user, code)
        data = ReuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source = Document.objects.filter(pk=data.validated_data["document"]).first()
        if source is None:
            raise NotFound("Không tìm thấy tài liệu.", "Document not found.")
        doc = uploads.reuse_document(
            dossier,
            source,
            uploads.requirement_for(dossier, data.validated_data.get("requirement")),
            request.user,
        )
        return Response(DocumentSerializer(doc).data, status=201)


class DocumentDownloadView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes}, summary="Download a document")
    def get(self, request, pk: int):
        return download_response(documents.visible_document(request.user, pk))


_register_params = [
    OpenApiParameter("agency", int, required=True),
    OpenApiParameter("from", str, required=True),
    OpenApiParameter("to", str, required=True),
]


class RegisterView(APIView):
    fmt = "pdf"

    @extend_schema(
        parameters=_register_params,
        responses={(200, "application/octet-stream"): bytes},
        summary="Mẫu 07 register of an agency for a period (A4 landscape PDF or XLSX)",
    )
    def get(self, request):
        q = request.query_params
        agency, start, end = registers.register_period(
            request.user, q.get("agency"), q.get("from"), q.get("to")
        )
        name = registers.register_filename(agency, start, end)
        if self.fmt == "xlsx":
            response = HttpResponse(
                registers.register_xlsx(agency, start, end),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        return pdf_response(registers.register_pdf(agency, start, end), f"{name}.pdf")


class VerifyCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="verify_code",
        summary="Check the signed result of a dossier (public)",
        description="No login; rate-limited per client IP. 404 when the dossier has no signed result.",
        responses={
            200: CodeVerificationSerializer,
            404: OpenApiResponse(_ERROR, description="No signed result for this code"),
            429: OpenApiResponse(_ERROR, description="Too many requests"),
        },
        tags=["public"],
    )
    def get(self, request, code: str):
        check_rate(request, "verify")  # public and CPU-bound: one counter per client IP across processes
        return Response(documents.verification_for_code(code))


class VerifyUploadView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="verify_upload",
        request=VerifyUploadSerializer,
        responses={
            200: VerdictSerializer,
            400: OpenApiResponse(_ERROR, description="Not a PDF, or too large"),
            429: OpenApiResponse(_ERROR, description="Too many requests"),
        },
        summary="Check the signature of an uploaded PDF (public)",
        description=(
            "No login; rate-limited per client IP. Names the dossier when the file is one of its results."
        ),
        tags=["public"],
    )
    def post(self, request):
        check_rate(request, "verify")
        data = VerifyUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(documents.verify_upload(data.validated_data["file"]))
