"""Notifications: the in-app inbox, the outbox of outgoing messages, and webhook subscriptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Đã nộp hồ sơ trực tuyến")
        RECEIPT = "receipt", _("Tiếp nhận hồ sơ")
        REFUSAL = "refusal", _("Từ chối tiếp nhận")
        SUPPLEMENT_REQUEST = "supplement_request", _("Yêu cầu bổ sung")
        APOLOGY = "apology", _("Thư xin lỗi, hẹn lại")
        RESULT_READY = "result_ready", _("Có kết quả")
        SUPPLEMENT_EXPIRED = "supplement_expired", _("Quá hạn bổ sung")
        ASSIGNED = "assigned", _("Được giao xử lý")
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        STEP_DUE_SOON = "step_due_soon", _("Bước sắp đến hạn")
        STEP_OVERDUE = "step_overdue", _("Bước quá hạn")
        DIGEST = "digest", _("Tổng hợp hằng ngày")
        POPULATION_MISMATCH = "population_mismatch", _("Sai khác với CSDL dân cư")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True, default="")
    # The English text of a staff message, for a reader who chose English (empty: the message is Vietnamese
    # only, as the citizen's are).
    title_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=255, blank=True, default="")
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True, default="")
    # A digest's list: [{"kind", "code", "subject", "due_at", "step"}], each shown as a link to its dossier.
    items = models.JSONField(_("danh sách hồ sơ"), default=list, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notif_user_created"),
            models.Index(fields=["user"], name="notif_user_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.title}"

    def _in_english(self) -> bool:
        return bool(self.title_en) and (translation.get_language() or "").startswith("en")

    @property
    def shown_title(self) -> str:
        """The title in the reader's language where the message has one (the inbox page shows this)."""
        return self.title_en if self._in_english() else self.title

    @property
    def shown_body(self) -> str:
        return self.body_en if self._in_english() else self.body


class WebhookSubscription(models.Model):
    """Another system that wants dossier events POSTed to it, signed with HMAC-SHA256."""

    name = models.CharField(_("tên hệ thống"), max_length=255)
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    secret = models.CharField(_("khóa bí mật"), max_length=255)
    event_types = models.JSONField(
        _("loại sự kiện"),
        default=list,
        blank=True,
        help_text=_("Danh sách hành động (receive, resolve, ...); để trống: mọi sự kiện"),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đăng ký webhook")
        verbose_name_plural = _("đăng ký webhook")

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def wants(self, action: str) -> bool:
        return not self.event_types or action in self.event_types


class OutboxMessage(models.Model):
    """A message to send, written in the transaction that caused it; a task delivers it with retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn (SMS/Zalo)")
        WEBHOOK = "webhook", "Webhook"
        DVCQG = "dvcqg", _("Cổng Dịch vụ công quốc gia")
        EMC = "emc", _("Hệ thống EMC")
        ZALO = "zalo", _("Zalo ZNS")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        DEAD = "dead", _("Gửi lỗi (đã dừng)")

    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=500)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True, default="")
    body = models.TextField(_("nội dung"), blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        WebhookSubscription, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("lần thử tiếp"), default=timezone.now)
    # A drain that took the message to send it holds it until then; past it, another drain may take it.
    claimed_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, default="")
    dedupe_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư đi (outbox)")
        verbose_name_plural = _("thư đi (outbox)")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The drain's claim, in its order: pending and due. Leased rows are few (a batch per running
            # drain), so skipping them on the heap costs little.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="outbox_claimable",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
            # National senders deliver a dossier's messages in order: "is an earlier one still unsent?"
            models.Index(
                fields=["dossier", "channel", "id"], name="outbox_dossier_unsent", condition=~Q(status="sent")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} ({self.status})"
