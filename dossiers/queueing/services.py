"""Every write to a queue ticket: issue at the kiosk, call, recall, start, finish, no-show, link to a dossier.

Each runs in one transaction under row locks: the service area's row serialises its numbering, the counter's
row serialises what one counter does, and the next waiting ticket is taken with SELECT ... FOR UPDATE SKIP
LOCKED, so two counters calling at the same moment get two different tickets (neither waits for the other).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Role, User
from accounts.scoping import memberships
from config.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from dossiers.models import Dossier
from dossiers.models.tickets import Counter, ServiceArea, Ticket
from dossiers.queueing.events import record_ticket_event
from procedures.calendar import local

MAX_PER_DAY = 999  # three digits on the slip and the display
CURRENT = (Ticket.Status.CALLED, Ticket.Status.SERVING)


def local_day(at: datetime) -> date:
    """The day a number belongs to: numbering starts again at local midnight (Asia/Ho_Chi_Minh)."""
    return local(at).date()


def _as_id(value, field: str, vi: str, en: str) -> int:
    pk = value.pk if hasattr(value, "pk") else value
    if isinstance(pk, bool) or not isinstance(pk, int | str) or not str(pk).isdigit() or int(pk) > 2**31 - 1:
        raise InvalidInput(vi, en, fields={field: field_error(vi, en)})
    return int(pk)


def _is_staff_of(user: User | None, agency_id: int) -> bool:
    return any(a == agency_id for a, _role in memberships(user))


def issue_ticket(
    area: ServiceArea | int | str,
    *,
    actor: User | None = None,
    agency_id: int | None = None,
    at: datetime | None = None,
) -> Ticket:
    """A new number of the day for the area (of `agency_id` when given: the kiosk's own agency). The kiosk
    issues without a user; a signed-in caller must be staff of the area's agency."""
    at = at or timezone.now()
    area_id = _as_id(area, "area", "Khu vực phục vụ không hợp lệ.", "Invalid service area.")
    with transaction.atomic():
        areas = ServiceArea.objects.select_for_update(of=("self",)).select_related("agency")
        if agency_id is not None:
            areas = areas.filter(agency_id=agency_id)
        locked = areas.filter(pk=area_id, active=True, agency__active=True).order_by().first()
        if locked is None:
            raise InvalidInput(
                "Không có khu vực phục vụ này.",
                "No such service area.",
                fields={"area": field_error("Không có khu vực này.", "No such area.")},
            )
        if (
            actor is not None
            and getattr(actor, "is_authenticated", False)
            and not _is_staff_of(actor, locked.agency_id)
        ):
            raise Forbidden(
                "Chỉ cán bộ của cơ quan mới được cấp số thứ tự tại đây.",
                "Only staff of this agency may issue its queue numbers.",
            )
        day = local_day(at)
        last = Ticket.objects.filter(area=locked, day=day).aggregate(last=Max("number"))["last"] or 0
        if last >= MAX_PER_DAY:
            raise Conflict(
                "Đã hết số thứ tự của khu vực này trong ngày hôm nay.",
                "This area has issued every number of the day.",
                code="numbers_exhausted",
            )
        ticket = Ticket.objects.create(
            agency_id=locked.agency_id,
            area=locked,
            day=day,
            number=last + 1,
            token=secrets.token_urlsafe(16),
            issued_at=at,
        )
        record_ticket_event(ticket, "issue", at, actor=actor)
    return ticket


def _lock_counter(counter: Counter | int | str, actor: User) -> Counter:
    """The counter under a row lock, for a clerk of its agency (another agency's counter is not found)."""
    counter_id = _as_id(counter, "counter", "Quầy không hợp lệ.", "Invalid counter.")
    # Only the counter's row (the model's ordering would join and lock the agency's row too).
    locked = (
        Counter.objects.select_for_update(of=("self",)).filter(pk=counter_id, active=True).order_by().first()
    )
    if locked is None or not _is_staff_of(actor, locked.agency_id):
        raise NotFound("Không tìm thấy quầy.", "Counter not found.")
    if (locked.agency_id, Role.CLERK) not in memberships(actor):
        raise Forbidden(
            "Chỉ công chức một cửa mới được gọi số tại quầy.", "Only a one-stop clerk may call numbers."
        )
    return locked


def _current(counter: Counter, day: date) -> Ticket | None:
    """The ticket called or being served at the counter today, locked."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("area")
        .filter(counter=counter, day=day, status__in=CURRENT)
        .order_by("-called_at")
        .first()
    )


def call_next(counter: Counter | int | str, actor: User, *, at: datetime | None = None) -> Ticket:
    """The oldest waiting ticket of the counter's areas is called to this counter."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = _lock_counter(counter, actor)
        day = local_day(at)
        busy = _current(locked, day)
        if busy is not None:
            raise Conflict(
                f"Quầy đang phục vụ số {busy.label}: hãy kết thúc hoặc báo vắng mặt trước khi gọi số mới.",
                f"The counter is on number {busy.label}: finish it or mark it absent before the next.",
                code="counter_busy",
            )
        area_ids = list(locked.areas.filter(active=True).values_list("id", flat=True))
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(agency_id=locked.agency_id, day=day, status=Ticket.Status.WAITING, area_id__in=area_ids)
            .order_by("issued_at", "id")
            .first()
        )
        if ticket is None:
            raise Conflict(
                "Không còn ai đang chờ tại quầy này.",
                "Nobody is waiting for this counter.",
                code="queue_empty",
            )
        ticket.status = Ticket.Status.CALLED
        ticket.called_at = at
        ticket.counter = locked
        ticket.served_by = actor
        ticket.save(update_fields=["status", "called_at", "counter", "served_by"])
        if locked.clerk_id != actor.pk:
            locked.clerk = actor
            locked.save(update_fields=["clerk"])
        record_ticket_event(ticket, "call", at, actor=actor, counter=locked)
    return ticket


def _step(counter, actor, at, allowed: tuple[str, ...]) -> tuple[Counter, Ticket]:
    locked = _lock_counter(counter, actor)
    ticket = _current(locked, local_day(at))
    if ticket is None or ticket.status not in allowed:
        raise Conflict(
            "Quầy chưa gọi số nào để thực hiện thao tác này.",
            "The counter has no called number this applies to.",
            code="no_current_ticket",
        )
    return locked, ticket


def recall(counter: Counter | int | str, actor: User, *, at: datetime | None = None) -> Ticket:
    """The called number is announced again (the display shows it first)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked, ticket = _step(counter, actor, at, (Ticket.Status.CALLED,))
        ticket.recalled_at = at
        ticket.save(update_fields=["recalled_at"])
        record_ticket_event(ticket, "recall", at, actor=actor, counter=locked)
    return ticket


def start_service(counter: Counter | int | str, actor: User, *, at: datetime | None = None) -> Ticket:
    """The citizen has come to the counter: service time starts."""
    at = at or timezone.now()
    with transaction.atomic():
        locked, ticket = _step(counter, actor, at, (Ticket.Status.CALLED,))
        ticket.status = Ticket.Status.SERVING
        ticket.service_started_at = at
        ticket.served_by = actor
        ticket.save(update_fields=["status", "service_started_at", "served_by"])
        record_ticket_event(ticket, "start", at, actor=actor, counter=locked)
    return ticket


def finish(counter: Counter | int | str, actor: User, *, at: datetime | None = None) -> Ticket:
    """Service is over (from called directly when the clerk did not press start)."""
    at = at or timezone.now()
    with transaction.atomic():
        locked, ticket = _step(counter, actor, at, CURRENT)
        ticket.status = Ticket.Status.DONE
        ticket.finished_at = at
        ticket.save(update_fields=["status", "finished_at"])
        record_ticket_event(ticket, "finish", at, actor=actor, counter=locked)
    return ticket


def mark_no_show(counter: Counter | int | str, actor: User, *, at: datetime | None = None) -> Ticket:
    """Nobody came for the called number."""
    at = at or timezone.now()
    with transaction.atomic():
        locked, ticket = _step(counter, actor, at, (Ticket.Status.CALLED,))
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = at
        ticket.save(update_fields=["status", "finished_at"])
        record_ticket_event(ticket, "no_show", at, actor=actor, counter=locked)
    return ticket


def link_dossier(
    ticket: Ticket | int, dossier: Dossier, actor: User, *, at: datetime | None = None
) -> Ticket:
    """The dossier received for the ticket's holder; a ticket names the first dossier received for it."""
    at = at or timezone.now()
    ticket_id = _as_id(ticket, "ticket", "Số thứ tự không hợp lệ.", "Invalid ticket.")
    with transaction.atomic():
        locked = Ticket.objects.select_for_update(of=("self",)).filter(pk=ticket_id).order_by().first()
        if locked is None or not _is_staff_of(actor, locked.agency_id):
            raise NotFound("Không tìm thấy số thứ tự.", "Ticket not found.")
        if (locked.agency_id, Role.CLERK) not in memberships(actor):
            raise Forbidden(
                "Chỉ công chức một cửa mới được gắn hồ sơ.", "Only a one-stop clerk may link dossiers."
            )
        if dossier.receiving_agency_id != locked.agency_id:
            raise InvalidInput(
                "Hồ sơ không do cơ quan cấp số thứ tự này tiếp nhận.",
                "The dossier was received by another agency than the ticket's.",
            )
        if locked.status not in (*CURRENT, Ticket.Status.DONE):
            raise Conflict(
                "Số thứ tự này chưa được gọi.", "This ticket has not been called.", code="not_called"
            )
        if locked.dossier_id not in (None, dossier.pk):
            raise Conflict("Số thứ tự đã gắn với hồ sơ khác.", "The ticket is linked to another dossier.")
        if locked.dossier_id is None:
            locked.dossier = dossier
            locked.save(update_fields=["dossier"])
            record_ticket_event(locked, "link", at, actor=actor, counter=locked.counter, dossier=dossier.code)
    return locked


def link_serving_ticket(actor: User, dossier: Dossier, *, at: datetime | None = None) -> Ticket | None:
    """After a counter intake: the ticket the clerk is serving today, if any, is linked to the dossier."""
    at = at or timezone.now()
    ticket_id = (
        Ticket.objects.filter(
            served_by=actor,
            day=local_day(at),
            status__in=CURRENT,
            agency_id=dossier.receiving_agency_id,
            dossier__isnull=True,
        )
        .order_by("-called_at")
        .values_list("pk", flat=True)
        .first()
    )
    if ticket_id is None:
        return None
    return link_dossier(ticket_id, dossier, actor, at=at)
