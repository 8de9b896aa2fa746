"""The result's draft: one row per saved version, written by the handler, approved (once) by a leader.

A version is never edited: saving again adds the next version, so the leader approves exactly the version
they previewed and the history shows who wrote what when. Approval stamps its version with the signer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ResultDraft(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="result_drafts")
    version = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại kết quả"), max_length=16)  # procedures.ResultKind at the time of writing
    content = models.JSONField(_("nội dung"), default=dict)  # the kind's fields (documents.results)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người soạn")
    )
    created_at = models.DateTimeField(_("thời điểm soạn"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người phê duyệt"),
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    # The signer's office (chức danh) and agency as they were when they approved, printed on the result.
    signer_name = models.CharField(max_length=255, blank=True, default="")
    signer_title = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("dự thảo kết quả")
        verbose_name_plural = _("dự thảo kết quả")
        ordering = ["dossier", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "version"], name="result_draft_unique_version"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(approved_at__isnull=False), name="result_draft_one_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.version}"
