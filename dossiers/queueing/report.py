"""The supervisor's queue report: waiting time (issued -> called) and service time (started, else called ->
finished) per counter and per day, tickets served and no-shows; one grouped query per table, served by the
ticket index on (agency, day, status)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dossiers.models.tickets import Ticket
from dossiers.reporting.period import Period
from dossiers.reporting.scope import Scope
from dossiers.reporting.tables import Table

DONE = Ticket.Status.DONE
NO_SHOW = Ticket.Status.NO_SHOW
WAIT = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(
    F("finished_at") - Coalesce("service_started_at", "called_at"), output_field=DurationField()
)

FIGURES = [
    ("called", _("Đã gọi")),
    ("served", _("Đã phục vụ")),
    ("no_show", _("Vắng mặt")),
    ("avg_wait_min", _("Chờ trung bình (phút)")),
    ("avg_service_min", _("Phục vụ trung bình (phút)")),
]
BY_COUNTER_COLUMNS = [("day", _("Ngày")), ("agency", _("Cơ quan")), ("counter", _("Quầy")), *FIGURES]
BY_DAY_COLUMNS = [("day", _("Ngày")), ("agency", _("Cơ quan")), ("issued", _("Đã cấp số")), *FIGURES]


def minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _figures():
    return {
        "called_n": Count("id", filter=Q(called_at__isnull=False)),
        "served_n": Count("id", filter=Q(status=DONE)),
        "no_show_n": Count("id", filter=Q(status=NO_SHOW)),
        "avg_wait": Avg(WAIT, filter=Q(called_at__isnull=False)),
        "avg_service": Avg(SERVICE, filter=Q(status=DONE)),
    }


def _row(values: dict) -> dict:
    return {
        "called": values["called_n"],
        "served": values["served_n"],
        "no_show": values["no_show_n"],
        "avg_wait_min": minutes(values["avg_wait"]),
        "avg_service_min": minutes(values["avg_service"]),
    }


def _tickets(scope: Scope, period: Period):
    return Ticket.objects.filter(agency_id__in=scope.agency_ids, day__gte=period.start, day__lte=period.end)


def by_counter(scope: Scope, period: Period) -> Table:
    grouped = (
        _tickets(scope, period)
        .filter(counter__isnull=False)
        .values("day", "agency__name", "counter_id", "counter__number", "counter__name")
        .annotate(**_figures())
        .order_by("day", "agency__name", "counter__number")
    )
    rows = [
        {
            "day": g["day"],
            "agency": g["agency__name"],
            "counter": g["counter__name"] or str(_("Quầy %(number)s") % {"number": g["counter__number"]}),
            "counter_id": g["counter_id"],
            **_row(g),
        }
        for g in grouped
    ]
    return Table("so-thu-tu-theo-quay", _("Số thứ tự theo quầy và ngày"), BY_COUNTER_COLUMNS, rows, period)


def by_day(scope: Scope, period: Period) -> Table:
    grouped = (
        _tickets(scope, period)
        .values("day", "agency__name")
        .annotate(issued_n=Count("id"), **_figures())
        .order_by("day", "agency__name")
    )
    rows = [
        {"day": g["day"], "agency": g["agency__name"], "issued": g["issued_n"], **_row(g)} for g in grouped
    ]
    return Table("so-thu-tu-theo-ngay", _("Số thứ tự theo ngày"), BY_DAY_COLUMNS, rows, period)


TABLES = {"counter": by_counter, "day": by_day}
