"""A citizen's online filing before it is submitted: kept on the server, tied to the account, so it can be
resumed on another device. Submitting turns it into a dossier (dossiers.lifecycle.portal) and deletes it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def draft_file_path(instance, filename: str) -> str:
    return f"drafts/{instance.draft.user_id}/{instance.draft_id}/{filename}"


class OnlineDraft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="online_drafts")
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("nơi tiếp nhận"), on_delete=models.CASCADE, related_name="+"
    )
    applicant_name = models.CharField(_("người nộp"), max_length=255, blank=True, default="")
    applicant_id_number = models.CharField(_("số định danh"), max_length=12, blank=True, default="")
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True, default="")
    applicant_email = models.EmailField(_("thư điện tử"), blank=True, default="")
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True, default="")
    subject = models.TextField(_("nội dung yêu cầu"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        # The citizen's drafts, newest first (the portal's home lists them).
        indexes = [models.Index(fields=["user", "-updated_at"], name="draft_user_updated")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.procedure_id}"

    def applicant(self) -> dict:
        """The applicant as the intake services take it (dossiers.lifecycle.validation)."""
        return {
            "name": self.applicant_name,
            "id_number": self.applicant_id_number,
            "phone": self.applicant_phone,
            "email": self.applicant_email,
            "address": self.applicant_address,
        }


class DraftComponent(models.Model):
    """One component of a draft: a checked upload, or a reference to a digitised document of the citizen's
    earlier dossiers (reused on submission)."""

    draft = models.ForeignKey(OnlineDraft, on_delete=models.CASCADE, related_name="components")
    requirement = models.ForeignKey(
        "procedures.DocumentRequirement", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=500)
    file = models.FileField(upload_to=draft_file_path, max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    reused_from = models.ForeignKey(
        "dossiers.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft", "requirement__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "requirement"], name="draft_component_one_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} · {self.name}"
