"""What the citizen is told by Zalo ZNS and SMS brandname for each event, and whether at all."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

# Zalo ZNS templates and the brandname SMS text are at most this long once filled in.
MESSAGE_MAX_CHARS = 400
PLACEHOLDERS = ("code", "name", "procedure", "due", "url", "agency")
# The longest text a placeholder is filled with (dossiers.national.citizen_messages cuts to these), so a
# template whose longest filling fits is known to fit for every dossier.
PLACEHOLDER_MAX = {"code": 25, "name": 40, "procedure": 60, "due": 16, "url": 90, "agency": 60}


def longest_filling(template: str) -> str:
    return template.format(**{k: "x" * n for k, n in PLACEHOLDER_MAX.items()})


def check_template(template: str) -> str:
    """"" when the template is usable, else what is wrong (unknown placeholder, too long when filled)."""
    if not template:
        return ""
    try:
        filled = longest_filling(template)
    except (KeyError, IndexError, ValueError):
        return gettext_now("Chỉ dùng các chỗ điền {code} {name} {procedure} {due} {url} {agency}.")
    if len(filled) > MESSAGE_MAX_CHARS:
        return gettext_now("Nội dung quá %(max)d ký tự khi điền đủ (%(n)d).") % {"max": MESSAGE_MAX_CHARS, "n": len(filled)}
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
