"""The procedure catalogue (thủ tục hành chính), its components, steps and fees, and calendar overrides."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Role

from .text import fold


class Sector(models.Model):
    """Lĩnh vực: hộ tịch, chứng thực, kinh doanh..."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResultKind(models.TextChoices):
    """The kind of document a procedure's result is, which picks the template the handler drafts it on."""

    DECISION = "decision", _("Quyết định")
    CERTIFICATE = "certificate", _("Giấy chứng nhận, trích lục")
    ANSWER = "answer", _("Văn bản trả lời")


# A result named "Quyết định …" is a decision; "Thông báo …" or "Văn bản trả lời …" an answer; the others
# (giấy khai sinh, giấy chứng nhận, trích lục, bản sao, giấy phép, giấy xác nhận …) certify or extract.
# Compared without diacritics (text.fold), as the importer reads its words.
_DECISION_PREFIX = "quyet dinh"
_ANSWER_PREFIXES = ("thong bao", "van ban tra loi", "cong van")


def result_kind_for(result_type: str) -> str:
    """The result kind a catalogue row without one gets, read from how its result is named."""
    text = fold(result_type or "")
    if text.startswith(_DECISION_PREFIX):
        return ResultKind.DECISION
    if text.startswith(_ANSWER_PREFIXES):
        return ResultKind.ANSWER
    return ResultKind.CERTIFICATE


class Procedure(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Toàn trình")
        PARTIAL = "partial", _("Một phần")
        NONE = "none", _("Không trực tuyến")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("Ngày làm việc")
        CALENDAR_DAYS = "calendar_days", _("Ngày")
        SAME_DAY = "same_day", _("Trong ngày")

    code = models.CharField(
        _("mã thủ tục"), max_length=32, unique=True, help_text=_("Mã quốc gia, ví dụ 1.001193")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    search_text = models.CharField(max_length=600, editable=False, default="")
    sector = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, default=Level.COMMUNE)
    online_level = models.CharField(
        _("mức trực tuyến"), max_length=16, choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL
    )
    legal_days = models.PositiveSmallIntegerField(_("thời hạn theo quy định"), default=0)
    committed_days = models.PositiveSmallIntegerField(
        _("thời hạn cam kết"),
        null=True,
        blank=True,
        help_text=_("Thời hạn rút ngắn; để trống nếu bằng quy định"),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee_text = models.CharField(_("phí, lệ phí"), max_length=500, blank=True, default="")
    online_fee_discount_pct = models.PositiveSmallIntegerField(
        _("giảm phí khi nộp trực tuyến (%)"), default=0
    )
    result_type = models.CharField(_("kết quả"), max_length=500, blank=True, default="")
    result_kind = models.CharField(
        _("loại kết quả"),
        max_length=16,
        choices=ResultKind.choices,
        default=ResultKind.CERTIFICATE,
        help_text=_("Mẫu dự thảo kết quả: quyết định, giấy chứng nhận/trích lục hoặc văn bản trả lời"),
    )
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True, default="")
    requirements_text = models.TextField(_("yêu cầu, điều kiện"), blank=True, default="")
    agencies = models.ManyToManyField(
        Agency,
        verbose_name=_("cơ quan thực hiện"),
        blank=True,
        related_name="procedures",
        help_text=_("Để trống: mọi cơ quan cùng cấp. Chọn tỉnh: mọi xã của tỉnh đó."),
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục")
        verbose_name_plural = _("thủ tục")
        ordering = ["sector__name", "name"]
        indexes = [
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="procedure_search_trgm"),
            models.Index(fields=["level", "online_level"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def processing_days(self) -> int:
        """The time the centre commits to: the reduced time when set, else the legal time."""
        return self.committed_days if self.committed_days is not None else self.legal_days

    def clean(self):
        if self.committed_days is not None and self.committed_days > self.legal_days:
            raise ValidationError(
                {"committed_days": _("Thời hạn cam kết không được dài hơn thời hạn quy định.")}
            )
        if self.time_unit == self.TimeUnit.SAME_DAY and self.legal_days:
            raise ValidationError({"legal_days": _("Thủ tục trong ngày có thời hạn 0.")})


class DocumentRequirement(models.Model):
    """One component (thành phần hồ sơ) the applicant must or may provide."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    required = models.BooleanField(_("bắt buộc"), default=True)
    formats = models.CharField(_("định dạng chấp nhận"), max_length=64, default="pdf,jpg,png")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StepTemplate(models.Model):
    """An internal handling step; its days are working days within the procedure's time."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=16, choices=Role.choices)
    days = models.PositiveSmallIntegerField(_("thời gian (ngày làm việc)"), default=0)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["procedure", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Fee(models.Model):
    class Unit(models.TextChoices):
        DOSSIER = "dossier", _("hồ sơ")
        COPY = "copy", _("bản")
        PAGE = "page", "trang"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("loại phí"), max_length=255)
    amount = models.PositiveIntegerField(_("mức thu (đồng)"))
    unit = models.CharField(_("đơn vị"), max_length=16, choices=Unit.choices, default=Unit.DOSSIER)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ/{self.get_unit_display()}"


class CalendarOverride(models.Model):
    """A local closure (is_working=False) or an extra working day (True); wins over the national calendar."""

    date = models.DateField(_("ngày"), unique=True)
    is_working = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("lý do"), max_length=255)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working else _("nghỉ")
        return f"{self.date:%d/%m/%Y} · {kind} · {self.reason}"
