"""Admin for dossiers and their documents: operators filter failed electronic results and retry them."""

from django.contrib import admin, messages

from .documents import retry_e_result
from .models import Document, Dossier


@admin.action(description="Phát hành lại kết quả điện tử (retry e-result)")
def retry_e_result_action(modeladmin, request, queryset):
    queued = sum(retry_e_result(dossier, actor=request.user) for dossier in queryset)
    skipped = queryset.count() - queued
    modeladmin.message_user(
        request,
        f"Đã đưa {queued} hồ sơ vào hàng đợi phát hành lại; bỏ qua {skipped}.",
        messages.SUCCESS if queued else messages.WARNING,
    )


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("code", "applicant_name", "status", "due_at", "e_result_status", "e_result_error")
    list_filter = ("e_result_status", "status", "channel")
    search_fields = ("code", "applicant_id_number", "applicant_name")
    list_select_related = ("procedure",)
    readonly_fields = ("status", "e_result_status", "e_result_error")
    raw_id_fields = (
        "procedure",
        "receiving_agency",
        "competent_agency",
        "applicant_user",
        "assignee",
        "received_by",
        "current_step",
    )
    actions = [retry_e_result_action]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("dossier", "kind", "name", "content_type", "size", "digitised", "signed", "created_at")
    list_filter = ("kind", "signed", "digitised")
    search_fields = ("dossier__code", "sha256", "name")
    raw_id_fields = ("dossier", "requirement", "reused_from", "uploaded_by")
    readonly_fields = ("sha256", "signature", "size", "content_type")
