"""The append-only audit log: one row per action; the database refuses UPDATE and DELETE."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DossierEvent(models.Model):
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=255, blank=True, default="")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=32, blank=True, default="")
    to_status = models.CharField(max_length=32, blank=True, default="")
    note = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True, help_text="Shown on the citizen's timeline")

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
