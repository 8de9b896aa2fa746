"""Queue tickets at the centre: service areas (a letter each), counters, numbered tickets and their log."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

letter_validator = RegexValidator(r"\A[A-Z]\Z", _("Một chữ cái in hoa, ví dụ A."))


class ServiceArea(models.Model):
    """A group of procedure fields served by the same counters; its letter prefixes the ticket numbers."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="service_areas"
    )
    name = models.CharField(_("tên khu vực"), max_length=120)
    letter = models.CharField(_("chữ cái"), max_length=1, validators=[letter_validator])
    sectors = models.ManyToManyField(
        "procedures.Sector", verbose_name=_("lĩnh vực phục vụ"), blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("hoạt động"), default=True)

    class Meta:
        verbose_name = _("khu vực phục vụ")
        verbose_name_plural = _("khu vực phục vụ")
        ordering = ["agency", "order", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "letter"], name="service_area_letter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.letter} · {self.name}"


class Counter(models.Model):
    """A counter (quầy) of the agency; the clerk at it is whoever last called a number there."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=120, blank=True, default="")
    areas = models.ManyToManyField(ServiceArea, verbose_name=_("khu vực phục vụ"), related_name="counters")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("công chức tại quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["agency", "number"]
        constraints = [models.UniqueConstraint(fields=["agency", "number"], name="counter_number_unique")]

    def __str__(self) -> str:
        return self.name or str(_("Quầy %(number)s") % {"number": self.number})


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đã gọi")
        SERVING = "serving", _("Đang phục vụ")
        DONE = "done", _("Đã phục vụ")
        NO_SHOW = "no_show", _("Vắng mặt")

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(help_text="Local day (Asia/Ho_Chi_Minh) the number belongs to")
    number = models.PositiveSmallIntegerField()
    # The public waiting-status page is found by this token alone (the number repeats every day).
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(null=True, blank=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        constraints = [
            models.UniqueConstraint(fields=["area", "day", "number"], name="ticket_number_per_area_day")
        ]
        indexes = [
            # the display, the next number to call and the supervisor's report: one agency, one day (or range)
            models.Index(fields=["agency", "day", "status"], name="ticket_agency_day_status"),
            # the ticket a clerk is serving, linked to the dossier received at the counter
            models.Index(fields=["served_by", "day"], name="ticket_served_by_day"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """A-012: the area's letter and the number of the day."""
        return f"{self.area.letter}-{self.number:03d}"


class TicketEvent(models.Model):
    """Append-only log of what happened to a ticket (issued, called, recalled, started, finished, no-show,
    linked to a dossier), with who and where."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20)
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticket_event_ticket_at")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
