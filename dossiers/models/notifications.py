"""Notifications: the in-app inbox, the outbox of outgoing messages, and webhook subscriptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """One message in a user's in-app inbox."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Tiếp nhận hồ sơ"
        SUPPLEMENT_REQUEST = "supplement_request", "Yêu cầu bổ sung"
        APOLOGY = "apology", "Thư xin lỗi, hẹn lại"
        RESULT_READY = "result_ready", "Có kết quả"
        SUPPLEMENT_EXPIRED = "supplement_expired", "Quá hạn bổ sung"
        ASSIGNED = "assigned", "Được giao xử lý"
        DUE_SOON = "due_soon", "Sắp đến hạn"
        OVERDUE = "overdue", "Quá hạn"
        STEP_DUE_SOON = "step_due_soon", "Bước sắp đến hạn"
        STEP_OVERDUE = "step_overdue", "Bước quá hạn"
        DIGEST = "digest", "Tổng hợp hằng ngày"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True, default="")
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="notif_user_created"),
            models.Index(fields=["user"], name="notif_user_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.title}"


class WebhookSubscription(models.Model):
    """Another system that wants dossier events POSTed to it, signed with HMAC-SHA256."""

    name = models.CharField("tên hệ thống", max_length=255)
    url = models.URLField("địa chỉ nhận", max_length=500)
    secret = models.CharField("khóa bí mật", max_length=255)
    event_types = models.JSONField(
        "loại sự kiện",
        default=list,
        blank=True,
        help_text="Danh sách hành động (receive, resolve, ...); để trống: mọi sự kiện",
    )
    active = models.BooleanField("đang hoạt động", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đăng ký webhook"
        verbose_name_plural = "đăng ký webhook"

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def wants(self, action: str) -> bool:
        return not self.event_types or action in self.event_types


class OutboxMessage(models.Model):
    """A message to send, written in the transaction that caused it; a task delivers it with retries."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Thư điện tử"
        SMS = "sms", "Tin nhắn (SMS/Zalo)"
        WEBHOOK = "webhook", "Webhook"

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        DEAD = "dead", "Gửi lỗi (đã dừng)"

    channel = models.CharField("kênh", max_length=16, choices=Channel.choices)
    recipient = models.CharField("người nhận", max_length=500)
    subject = models.CharField("tiêu đề", max_length=255, blank=True, default="")
    body = models.TextField("nội dung", blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        WebhookSubscription, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    status = models.CharField("trạng thái", max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField("số lần thử", default=0)
    next_attempt_at = models.DateTimeField("lần thử tiếp", default=timezone.now)
    # A drain that took the message to send it holds it until then; past it, another drain may take it.
    claimed_until = models.DateTimeField("đang gửi đến", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True, default="")
    dedupe_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thư đi (outbox)"
        verbose_name_plural = "thư đi (outbox)"
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
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} ({self.status})"
