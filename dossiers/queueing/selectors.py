"""What the kiosk, the display, the waiting-status page and the counter read (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Agency
from dossiers.models.tickets import Counter, ServiceArea, Ticket
from dossiers.queueing.services import CURRENT, local_day

WAITING_SHOWN = 8  # next numbers shown per area on the display


def kiosk_agency(code: str) -> Agency | None:
    return Agency.objects.filter(code=code, active=True).first()


def open_areas(agency: Agency) -> list[ServiceArea]:
    return list(ServiceArea.objects.filter(agency=agency, active=True).order_by("order", "letter"))


@dataclass
class AreaQueue:
    area: ServiceArea
    waiting: list[str] = field(default_factory=list)  # labels, first to be called first
    count: int = 0


@dataclass
class Board:
    called: list[Ticket]  # at a counter now, last called (or recalled) first
    areas: list[AreaQueue]


def display_board(agency: Agency, day: date | None = None) -> Board:
    """The numbers at the counters and the ones waiting, per area (three queries)."""
    day = day or local_day(timezone.now())
    areas = {a.pk: AreaQueue(a) for a in open_areas(agency)}
    called = list(
        Ticket.objects.filter(agency=agency, day=day, status__in=CURRENT)
        .select_related("area", "counter")
        .order_by("-called_at", "-id")
    )
    called.sort(key=lambda t: max(t.called_at, t.recalled_at or t.called_at), reverse=True)
    waiting = (
        Ticket.objects.filter(agency=agency, day=day, status=Ticket.Status.WAITING)
        .order_by("area_id", "number")
        .values_list("area_id", "number")
    )
    for area_id, number in waiting:
        queue = areas.get(area_id)
        if queue is None:
            continue
        queue.count += 1
        if len(queue.waiting) < WAITING_SHOWN:
            queue.waiting.append(f"{queue.area.letter}-{number:03d}")
    return Board(called, list(areas.values()))


def ticket_by_token(token: str) -> Ticket | None:
    if not token or len(token) > 32:
        return None
    return Ticket.objects.select_related("area", "agency", "counter").filter(token=token).first()


def ahead_of(ticket: Ticket) -> int:
    """Waiting tickets of the same area and day issued before this one (numbers grow with issue order)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return Ticket.objects.filter(
        area_id=ticket.area_id, day=ticket.day, status=Ticket.Status.WAITING, number__lt=ticket.number
    ).count()


def counters_for(agency_ids) -> list[Counter]:
    return list(
        Counter.objects.filter(agency_id__in=agency_ids, active=True)
        .select_related("agency", "clerk")
        .order_by("agency__code", "number")
    )


def counter_of(counter_id: int, agency_ids) -> Counter | None:
    return (
        Counter.objects.filter(pk=counter_id, agency_id__in=agency_ids, active=True)
        .select_related("agency", "clerk")
        .first()
    )


@dataclass
class CounterState:
    counter: Counter
    current: Ticket | None
    waiting: list[tuple[ServiceArea, int]]
    served_today: int


def counter_state(counter: Counter, day: date | None = None) -> CounterState:
    """The counter's current ticket, how many wait for each of its areas, and how many it served today."""
    day = day or local_day(timezone.now())
    current = (
        Ticket.objects.filter(counter=counter, day=day, status__in=CURRENT)
        .select_related("area", "dossier")
        .order_by("-called_at")
        .first()
    )
    areas = list(
        counter.areas.filter(active=True)
        .annotate(waiting=Count("tickets", filter=Q(tickets__day=day, tickets__status=Ticket.Status.WAITING)))
        .order_by("order", "letter")
    )
    served = Ticket.objects.filter(counter=counter, day=day, status=Ticket.Status.DONE).count()
    return CounterState(counter, current, [(a, a.waiting) for a in areas], served)
