"""The links to the national platforms and their health, as the adapters last saw them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NationalLink(models.Model):
    """One link (VNeID, DVCQG, payment, population data, EMC, Zalo, SMS): its last success and failure, and
    the circuit breaker's state. Adapters write it through dossiers.national.links; the link-health page
    reads it."""

    class Name(models.TextChoices):
        VNEID = "vneid", _("VNeID (đăng nhập công dân)")
        DVCQG = "dvcqg", _("Cổng Dịch vụ công quốc gia")
        PAYMENT = "payment", _("Nền tảng thanh toán")
        POPULATION = "population", _("Cơ sở dữ liệu quốc gia về dân cư")
        EMC = "emc", _("Hệ thống EMC")
        ZALO = "zalo", _("Zalo ZNS")
        SMS = "sms", _("SMS brandname")

    name = models.CharField(_("kết nối"), max_length=16, choices=Name.choices, primary_key=True)
    last_success_at = models.DateTimeField(_("thành công gần nhất"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("lỗi gần nhất lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(_("số lỗi liên tiếp"), default=0)
    calls = models.PositiveBigIntegerField(_("số lần gọi"), default=0)
    failures = models.PositiveBigIntegerField(_("số lần lỗi"), default=0)
    # While set and in the future, calls are not attempted (the circuit is open) and fail at once.
    open_until = models.DateTimeField(_("tạm ngắt đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết nối quốc gia")
        verbose_name_plural = _("kết nối quốc gia")

    def __str__(self) -> str:
        return self.get_name_display()
