"""Online payments in the admin, read-only: the transactions and every confirmation received (the audit of
refused checksums, wrong amounts, unknown transactions and replays)."""

from django.contrib import admin

from .models import PaymentNotice, PaymentTransaction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentTransaction)
class PaymentTransactionAdmin(ReadOnlyAdmin):
    list_display = ["code", "dossier", "amount", "state", "platform_ref", "created_at", "paid_at"]
    list_filter = ["state"]
    search_fields = ["code", "platform_ref", "dossier__code"]
    list_select_related = ["dossier"]
    raw_id_fields = ["dossier", "payer"]


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(ReadOnlyAdmin):
    list_display = ["at", "source", "outcome", "reason", "transaction", "remote_addr"]
    list_filter = ["outcome", "reason", "source"]
    search_fields = ["transaction__code"]
    list_select_related = ["transaction"]
    raw_id_fields = ["transaction"]
