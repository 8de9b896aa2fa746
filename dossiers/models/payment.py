"""Online payments of a dossier's fees through the DVCQG Payment Platform, and every confirmation received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentTransaction(models.Model):
    """One attempt by the applicant to pay a dossier's fee online. Only a confirmation whose checksum
    verified (the platform's notice, or its answer to a status query) moves it to paid."""

    class State(models.TextChoices):
        INITIATED = "initiated", _("Đang khởi tạo")  # ours; the platform has not given a payment URL yet
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        CANCELLED = "cancelled", _("Đã huỷ")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    amount = models.PositiveIntegerField(_("số tiền (đồng)"))
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.INITIATED)
    platform_ref = models.CharField(_("mã tham chiếu của nền tảng"), max_length=64, blank=True, default="")
    payment_url = models.URLField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # The verified confirmation as the platform sent it, kept for reconciliation.
    confirmation = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        indexes = [
            models.Index(fields=["dossier", "-id"], name="payment_dossier"),
            # The re-check sweep: open transactions, never checked first, then the oldest check.
            models.Index(
                models.F("last_checked_at").asc(nulls_first=True),
                models.F("id").asc(),
                name="payment_open_checked",
                condition=models.Q(state__in=["initiated", "pending"]),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.INITIATED, self.State.PENDING)


class PaymentNotice(models.Model):
    """Every confirmation that reached us, verified or not, and what was done with it (append-only audit:
    refused checksums, wrong amounts, unknown transactions and replays are kept here with the raw body)."""

    class Source(models.TextChoices):
        NOTICE = "notice", _("Thông báo từ nền tảng")
        QUERY = "query", _("Truy vấn trạng thái")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Đã xác nhận")
        DUPLICATE = "duplicate", _("Trùng, đã xác nhận trước đó")
        UPDATED = "updated", _("Cập nhật trạng thái")
        REFUSED = "refused", _("Từ chối")

    transaction = models.ForeignKey(
        PaymentTransaction, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    reason = models.CharField(max_length=40, blank=True, default="")
    body = models.JSONField(default=dict, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xác nhận thanh toán nhận được")
        verbose_name_plural = _("xác nhận thanh toán nhận được")
        indexes = [models.Index(fields=["-at"], name="payment_notice_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.outcome} {self.reason}"
