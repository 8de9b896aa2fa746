"""Admin for dossiers and their documents: operators read a dossier with its steps and its event log (never
edited here: every change goes through dossiers.services), filter failed electronic results and retry them."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import Forbidden
from dossiers.documents.issuing import retry_e_result

from .models import Document, Dossier, DossierEvent, DossierStep


@admin.action(description=gettext_lazy("Phát hành lại kết quả điện tử của các hồ sơ đã chọn"))
def retry_e_result_action(modeladmin, request, queryset):
    queued = 0
    for dossier in queryset:
        try:
            queued += retry_e_result(dossier, actor=request.user)
        except Forbidden:
            pass  # counted as skipped: the operator does not sign for that agency
    skipped = queryset.count() - queued
    modeladmin.message_user(
        request,
        _("Đã đưa %(queued)d hồ sơ vào hàng đợi phát hành lại; bỏ qua %(skipped)d.")
        % {"queued": queued, "skipped": skipped},
        messages.SUCCESS if queued else messages.WARNING,
    )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ("order", "name", "role", "agency", "assignee", "started_at", "due_at", "finished_at")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    """The append-only log: the database refuses changes anyway."""

    model = DossierEvent
    fields = ("at", "action", "from_status", "to_status", "actor_name", "note", "payload", "public")
    readonly_fields = fields
    ordering = ("at", "id")


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
    inlines = [StepInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        # The status is an FSM field protected against direct writes; nothing else is edited here either.
        return [f.name for f in Dossier._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("dossier", "kind", "name", "content_type", "size", "digitised", "signed", "created_at")
    list_filter = ("kind", "signed", "digitised")
    search_fields = ("dossier__code", "sha256", "name")
    raw_id_fields = ("dossier", "requirement", "reused_from", "uploaded_by")
    readonly_fields = ("sha256", "signature", "size", "content_type")


# The other admin modules register their models on import: the outbox, webhooks and inbox; the queue's
# service areas and counters; the online payments.
from . import admin_notify, admin_payment, admin_tickets  # noqa: E402,F401
