"""Files attached to a dossier: components provided by the applicant and documents the centre issues."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_verification_token() -> str:
    """The unguessable key printed on a result (its QR and verify link): only a holder of the result can ask
    the public verify page about it, where a sequential dossier code would let anyone enumerate outcomes."""
    return secrets.token_urlsafe(16)


def document_path(instance, filename: str) -> str:
    dossier = instance.dossier
    return f"dossiers/{dossier.received_at or dossier.created_at:%Y/%m}/{dossier.code}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        COMPONENT = "component", _("Thành phần hồ sơ")
        RECEIPT = "receipt", _("Giấy tiếp nhận (Mẫu 01)")
        SUPPLEMENT_REQUEST = "supplement_request", _("Phiếu yêu cầu bổ sung (Mẫu 02)")
        REFUSAL = "refusal", _("Phiếu từ chối (Mẫu 03)")
        APOLOGY = "apology", _("Văn bản xin lỗi (Mẫu 04)")
        STOP_NOTICE = "stop_notice", _("Thông báo dừng giải quyết (Mẫu 05)")
        CONTROL_SHEET = "control_sheet", _("Phiếu kiểm soát (Mẫu 06)")
        RESULT = "result", _("Kết quả giải quyết")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    requirement = models.ForeignKey(
        "procedures.DocumentRequirement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=500)
    file = models.FileField(upload_to=document_path, max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    digitised = models.BooleanField(_("đã số hoá"), default=False)
    signed = models.BooleanField(default=False)
    signature = models.JSONField(default=dict, blank=True)
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reuses"
    )
    # Results only (empty on other kinds): see new_verification_token.
    verification_token = models.CharField(_("mã kiểm tra"), max_length=32, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["dossier", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(kind="result"), name="document_one_result"
            ),
            models.UniqueConstraint(
                fields=["verification_token"],
                condition=~Q(verification_token=""),
                name="document_verification_token",
            ),
        ]
        indexes = [models.Index(fields=["sha256"], name="document_sha256")]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.get_kind_display()} · {self.name}"
