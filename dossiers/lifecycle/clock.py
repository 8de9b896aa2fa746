"""Clock and step bookkeeping shared by the actions: start, pause, resume, hand over, finish."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.lifecycle.deadlines import (
    appointment_for,
    restart_clock,
    shift_for_pause,
    step_due_dates,
)
from dossiers.lifecycle.predicates import reached, soon
from dossiers.models import Dossier, DossierEvent, DossierStep, Status
from dossiers.models.dossier import OPEN
from procedures.calendar import local


def iso(dt: datetime | None) -> str | None:
    """A datetime for an event payload, in local time (what forms print)."""
    return local(dt).isoformat() if dt else None


def appointment(dossier: Dossier, start: datetime) -> datetime:
    """The appointment of a dossier whose clock starts at `start` (the procedure's committed time)."""
    procedure = dossier.procedure
    return appointment_for(start, procedure.processing_days, procedure.time_unit)


def start_clock(dossier: Dossier, at: datetime) -> None:
    """Receipt: the clock starts, and the appointment given to the applicant is fixed."""
    dossier.received_at = dossier.received_at or at
    dossier.clock_started_at = at
    due = appointment(dossier, at)
    dossier.due_at = dossier.legal_due_at = dossier.original_due_at = due


def create_steps(dossier: Dossier, at: datetime, clerk: User | None) -> None:
    """The internal steps from the procedure's templates; the first starts now with the receiving clerk."""
    templates = list(dossier.procedure.steps.all())
    if not templates:
        return
    procedure = dossier.procedure
    dues = step_due_dates(
        at,
        [t.days for t in templates],
        days=procedure.processing_days,
        unit=procedure.time_unit,
        not_after=dossier.due_at,
    )
    steps = [
        DossierStep(
            dossier=dossier,
            order=t.order,
            name=t.name,
            role=t.role,
            due_at=due,
            agency_id=dossier.receiving_agency_id if t.role == "clerk" else dossier.competent_agency_id,
        )
        for t, due in zip(templates, dues, strict=True)
    ]
    first = steps[0]
    first.started_at, first.assignee = at, clerk
    DossierStep.objects.bulk_create(steps)
    dossier.current_step, dossier.assignee = first, clerk


def restart_steps(dossier: Dossier, at: datetime) -> None:
    """The clock restarted (incomplete at intake): every unfinished step is due again from `at`."""
    steps = list(dossier.steps.filter(finished_at__isnull=True).order_by("order"))
    if not steps:
        return
    procedure = dossier.procedure
    dues = step_due_dates(
        at,
        [_template_days(dossier, s.order) for s in steps],
        days=procedure.processing_days,
        unit=procedure.time_unit,
        not_after=dossier.due_at,
    )
    for step, due in zip(steps, dues, strict=True):
        step.due_at = due
        clear_stale_markers(step, at)
    DossierStep.objects.bulk_update(steps, ["due_at", *MARKERS])


MARKERS = ("overdue_at", "due_soon_notified_at")


def clear_stale_markers(row: Dossier | DossierStep, at: datetime) -> None:
    """After its due dates moved, forget the deadline sweeps' markers that no longer hold at `at`, so the
    sweeps flag the row again against the new dates (they only claim unmarked rows).

    The overdue marker follows the legal due of a dossier and the due of a step, the due-soon marker the
    appointment (or the step's due), with the sweeps' own instants (predicates.reached and soon).
    """
    due = row.due_at
    legal_due = row.legal_due_at if isinstance(row, Dossier) else due
    if row.overdue_at and legal_due and not reached(legal_due, at):
        row.overdue_at = None
    if row.due_soon_notified_at and due and not (reached(due, at) or soon(due, at)):
        row.due_soon_notified_at = None


def move_appointment(dossier: Dossier, new_due: datetime) -> None:
    """An apology (Form 04) gives the citizen a new appointment: the due-soon reminder sent for the old one
    no longer holds, whatever the new date, so the sweep reminds again before the new one (its dedupe key
    names the date). The legal due does not move, and neither does the overdue marker that follows it."""
    dossier.due_at = new_due
    dossier.due_soon_notified_at = None


def _template_days(dossier: Dossier, order: int) -> int:
    template = dossier.procedure.steps.filter(order=order).first()
    return template.days if template else 0


def pause(dossier: Dossier, at: datetime) -> None:
    dossier.paused_at = at


def pausing_event(dossier: Dossier) -> DossierEvent | None:
    """The event that paused the dossier into its current status (the latest one to enter it)."""
    return (
        DossierEvent.objects.filter(dossier=dossier, to_status=dossier.status)
        .order_by("-at", "-id")
        .only("action", "at", "from_status", "payload", "actor_name", "note")
        .first()
    )


def status_before_pause(dossier: Dossier, event: DossierEvent | None = None) -> str:
    """The running status the dossier had when it was paused (read from the event that paused it)."""
    event = event or pausing_event(dossier)
    before = event.from_status if event else None
    return before if before in (Status.RECEIVED, Status.PROCESSING) else Status.PROCESSING


def restarts_on_completion(event: DossierEvent | None) -> bool:
    """Whether the supplement that ends this pause restarts the clock: only when the request said the
    dossier was incomplete at intake (the counter intake's own supplement list); any later request, even
    while the dossier is still at the receiving step, pauses the clock instead."""
    return bool(event and (event.payload or {}).get("at_intake"))


RESTART, PAUSE = "restart_on_completion", "pause"


def clock_note(action: str, payload: dict | None) -> str:
    """What a supplement request or a supplement did to the clock, for the timelines ("" otherwise)."""
    payload = payload or {}
    if action == "request_supplement":
        if payload.get("at_intake"):
            return _("Hồ sơ chưa đủ khi tiếp nhận: tính lại thời hạn từ khi đủ hồ sơ")
        return _("Tạm dừng thời hạn giải quyết đến khi bổ sung")
    if action == "supplement" and "restarted" in payload:
        due = _due_text(payload.get("due_at"))
        if payload["restarted"]:
            text = _("Tính lại thời hạn từ khi đủ hồ sơ")
        else:
            text = _("Tạm dừng, cộng thêm %(days)s ngày làm việc") % {
                "days": payload.get("paused_working_days", 0)
            }
        return _("%(text)s; hẹn trả %(due)s") % {"text": text, "due": due} if due else text
    return ""


def _due_text(value: str | None) -> str:
    try:
        return f"{datetime.fromisoformat(value):%d/%m/%Y}" if value else ""
    except (TypeError, ValueError):
        return ""


def resume(dossier: Dossier, at: datetime, *, restart: bool) -> dict:
    """End a pause. `restart`: the clock starts again from `at` (the dossier was incomplete at intake);
    otherwise due dates move by the paused working days. Returns what changed, for the event."""
    paused_from = dossier.paused_at or at
    dossier.paused_at = None
    if restart:
        dossier.clock_started_at = at
        due = restart_clock(at, dossier.procedure.processing_days, dossier.procedure.time_unit)
        dossier.due_at = dossier.legal_due_at = dossier.original_due_at = due
        clear_stale_markers(dossier, at)
        restart_steps(dossier, at)
        return {"restarted": True, "clock": RESTART, "paused_working_days": 0, "due_at": iso(due)}
    dossier.due_at, days = shift_for_pause(dossier.due_at, paused_from, at)
    if dossier.legal_due_at:
        dossier.legal_due_at, _ = shift_for_pause(dossier.legal_due_at, paused_from, at)
    dossier.paused_working_days += days
    if days:
        clear_stale_markers(dossier, at)
        steps = list(dossier.steps.filter(finished_at__isnull=True, due_at__isnull=False))
        for step in steps:
            step.due_at, _ = shift_for_pause(step.due_at, paused_from, at)
            clear_stale_markers(step, at)
        DossierStep.objects.bulk_update(steps, ["due_at", *MARKERS])
    return {"restarted": False, "clock": PAUSE, "paused_working_days": days, "due_at": iso(dossier.due_at)}


def holders_by_load(agency_id: int, role: str) -> QuerySet[User]:
    """The active members holding `role` in the agency, least busy first: by the number of open dossiers
    assigned to them (paused ones too, they come back), ties to the oldest account."""
    return (
        User.objects.filter(memberships__agency_id=agency_id, memberships__role=role, is_active=True)
        .annotate(load=Count("assigned_dossiers", filter=Q(assigned_dossiers__status__in=OPEN)))
        .order_by("load", "id")
    )


def least_busy_holder(agency_id: int, role: str) -> User | None:
    """Who a forward without a chosen recipient goes to: the first of holders_by_load."""
    return holders_by_load(agency_id, role).first()


def finish_open_steps(dossier: Dossier, at: datetime) -> None:
    dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True).update(finished_at=at)
