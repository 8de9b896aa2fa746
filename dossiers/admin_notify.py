"""Admin for notifications: the outbox with dead letters and a retry action, webhooks, the inbox."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CitizenMessageRule, Notification, OutboxMessage, WebhookSubscription
from .notify import outbox


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "created_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    list_select_related = True
    raw_id_fields = ["dossier", "subscription"]
    readonly_fields = ["dedupe_key", "created_at", "sent_at", "last_error", "attempts", "claimed_until"]
    actions = ["retry_messages"]

    @admin.action(description=_("Gửi lại các thư đã chọn"))
    def retry_messages(self, request, queryset):
        n = outbox.retry(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("Đã đưa %(n)d thư vào hàng đợi gửi lại.", "Đã đưa %(n)d thư vào hàng đợi gửi lại.", n)
            % {"n": n},
            messages.SUCCESS,
        )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "read_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "dossier"]


@admin.register(CitizenMessageRule)
class CitizenMessageRuleAdmin(admin.ModelAdmin):
    """Per event: the Zalo ZNS template and the SMS text, and a switch for each (no IT staff needed)."""

    list_display = ["kind", "description", "zalo_enabled", "zalo_template_id", "sms_enabled"]
    list_editable = ["zalo_enabled", "sms_enabled"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request) -> bool:  # one row per event kind, made by the migration
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
