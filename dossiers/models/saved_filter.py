"""A user's own saved desk filter: a name and the list filter's parameters, shown as a tab of its own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SAVED_FILTER_NAME_LENGTH = 60


class SavedFilter(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("tên bộ lọc"), max_length=SAVED_FILTER_NAME_LENGTH)
    # Parameters of dossiers.selectors.filters.DossierFilter (the API list's), validated on save.
    params = models.JSONField(_("điều kiện lọc"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ lọc đã lưu")
        verbose_name_plural = _("bộ lọc đã lưu")
        ordering = ["user", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name
