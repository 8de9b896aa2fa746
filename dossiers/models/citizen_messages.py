"""What the citizen is told by Zalo ZNS and SMS brandname for each event, and whether at all."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Zalo ZNS templates and the brandname SMS text are at most this long once filled in.
MESSAGE_MAX_CHARS = 400
PLACEHOLDERS = ("code", "name", "procedure", "due", "url", "agency")
# The longest text a placeholder is filled with (dossiers.national.citizen_messages cuts to these), so a
# template whose longest filling fits is known to fit for every dossier.
PLACEHOLDER_MAX = {"code": 25, "name": 40, "procedure": 60, "due": 16, "url": 90, "agency": 60}

# (kind, description, ZNS template id, ZNS text, SMS text) of each event the citizen hears of by phone; the
# migration makes one row of each, which an operator then edits. SMS brandname text is written without
# diacritics, as gateways send it in one plain segment; ZNS templates are those approved at Zalo.
DEFAULT_RULES = [
    (
        "receipt",
        "Tiếp nhận hồ sơ",
        "ZNS_TIEPNHAN",
        "{agency} đã tiếp nhận hồ sơ {code} của {name} ({procedure}). Ngày hẹn trả: {due}. Tra cứu: {url}",
        "{agency}: da tiep nhan ho so {code}. Hen tra {due}. Tra cuu: {url}",
    ),
    (
        "supplement_request",
        "Yêu cầu bổ sung hồ sơ",
        "ZNS_BOSUNG",
        "Hồ sơ {code} của {name} cần bổ sung giấy tờ. Vui lòng xem chi tiết và bổ sung tại: {url}",
        "Ho so {code} can bo sung giay to. Chi tiet: {url}",
    ),
    (
        "apology",
        "Thay đổi ngày hẹn trả",
        "ZNS_HENLAI",
        "{agency} xin lỗi vì hồ sơ {code} chậm giải quyết. Ngày hẹn trả mới: {due}. Tra cứu: {url}",
        "{agency} xin loi: ho so {code} hen tra lai ngay {due}. Tra cuu: {url}",
    ),
    (
        "result_ready",
        "Có kết quả giải quyết",
        "ZNS_KETQUA",
        "Hồ sơ {code} của {name} đã có kết quả. Mời Ông/Bà nhận kết quả hoặc xem tại: {url}",
        "Ho so {code} da co ket qua. Xem tai: {url}",
    ),
    (
        "supplement_expired",
        "Quá hạn bổ sung hồ sơ",
        "ZNS_QUAHAN",
        "Hồ sơ {code} đã quá hạn bổ sung và dừng giải quyết. Tra cứu: {url}",
        "Ho so {code} qua han bo sung, da dung giai quyet. Tra cuu: {url}",
    ),
]


def longest_filling(template: str) -> str:
    return template.format(**{k: "x" * n for k, n in PLACEHOLDER_MAX.items()})


def check_template(template: str) -> str:
    """ "" when the template is usable, else what is wrong (unknown placeholder, too long when filled)."""
    if not template:
        return ""
    try:
        filled = longest_filling(template)
    except (KeyError, IndexError, ValueError):
        return gettext("Chỉ dùng các chỗ điền {code} {name} {procedure} {due} {url} {agency}.")
    if len(filled) > MESSAGE_MAX_CHARS:
        return gettext("Nội dung quá %(max)d ký tự khi điền đủ (%(n)d).") % {
            "max": MESSAGE_MAX_CHARS,
            "n": len(filled),
        }
    return ""


class CitizenMessageRule(models.Model):
    """One event kind (receipt, supplement request, result ready, appointment change ...): the ZNS template
    approved at Zalo and the SMS text, each with its own switch, so an operator turns a message off in the
    admin without IT staff. Placeholders: {code} {name} {procedure} {due} {url} {agency}."""

    kind = models.CharField(_("sự kiện"), max_length=24, unique=True)
    description = models.CharField(_("mô tả"), max_length=255, blank=True, default="")
    zalo_enabled = models.BooleanField(_("gửi Zalo ZNS"), default=True)
    zalo_template_id = models.CharField(_("mã mẫu ZNS"), max_length=32, blank=True, default="")
    zalo_template = models.TextField(
        _("nội dung mẫu ZNS"), blank=True, default="", help_text=_("Nội dung mẫu đã được Zalo duyệt")
    )
    sms_enabled = models.BooleanField(_("gửi SMS brandname"), default=True)
    sms_template = models.TextField(_("nội dung SMS"), blank=True, default="")

    class Meta:
        verbose_name = _("mẫu tin nhắn công dân")
        verbose_name_plural = _("mẫu tin nhắn công dân")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.description or self.kind

    def clean(self) -> None:
        errors = {}
        for name in ("zalo_template", "sms_template"):
            problem = check_template(getattr(self, name))
            if problem:
                errors[name] = problem
        if self.zalo_enabled and not self.zalo_template_id:
            errors["zalo_template_id"] = _("Cần mã mẫu ZNS để gửi Zalo.")
        if errors:
            raise ValidationError(errors)


def default_rule(kind: str) -> CitizenMessageRule | None:
    """The rule an event has before an operator changed it (its row may be missing in a fresh database)."""
    for k, description, template_id, zalo, sms in DEFAULT_RULES:
        if k == kind:
            return CitizenMessageRule(
                kind=k,
                description=description,
                zalo_template_id=template_id,
                zalo_template=zalo,
                sms_template=sms,
            )
    return None
