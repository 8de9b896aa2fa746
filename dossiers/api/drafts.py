"""API for the result's draft: read a version, preview it as PDF (saving one is the draft_result action)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import InvalidInput, field_error
from dossiers.documents import issuing as documents
from dossiers.documents.results import template_for

from ..models import ResultDraft
from .documents import pdf_response

MAX_VERSION = 2_000_000_000
VERSION = OpenApiParameter(
    "version",
    int,
    OpenApiParameter.QUERY,
    required=False,
    description="Phiên bản dự thảo; mặc định bản mới nhất (Draft version; the latest by default)",
)


class DraftFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class ResultDraftSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name")
    content_fields = serializers.SerializerMethodField(help_text="Các trường nội dung của loại kết quả")

    class Meta:
        model = ResultDraft
        fields = [
            "version", "kind", "content", "content_fields", "author_name", "created_at", "approved_at",
            "signer_name", "signer_title",
        ]  # fmt: skip

    @extend_schema_field(DraftFieldSerializer(many=True))
    def get_content_fields(self, draft: ResultDraft) -> list[dict]:
        fields = template_for(draft.kind).fields
        return [{"name": f.name, "label": str(f.label), "required": f.required} for f in fields]


def version_of(request) -> int | None:
    raw = str(request.query_params.get("version", "")).strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_VERSION:
        message = ("Phiên bản phải là số nguyên dương.", "The version must be a positive whole number.")
        raise InvalidInput(*message, fields={"version": field_error(*message)})
    return int(raw)


class ResultDraftView(APIView):
    @extend_schema(
        operation_id="dossiers_result_draft",
        summary="Dự thảo kết quả (The result's draft), for the competent agency's handlers and leaders",
        parameters=[VERSION],
        responses=ResultDraftSerializer,
    )
    def get(self, request, code: str):
        draft = documents.visible_result_draft(request.user, code, version_of(request))
        return Response(ResultDraftSerializer(draft).data)


class ResultDraftPreviewView(APIView):
    @extend_schema(
        operation_id="dossiers_result_draft_preview",
        summary="Xem trước dự thảo kết quả (Preview the result's draft as the PDF it will be issued as)",
        parameters=[VERSION],
        responses={(200, "application/pdf"): bytes},
    )
    def get(self, request, code: str):
        pdf, draft = documents.preview_result_draft(request.user, code, version_of(request))
        response = pdf_response(pdf, f"du-thao-{draft.dossier.code}-v{draft.version}.pdf")
        response["X-Draft-Version"] = str(draft.version)
        return response
