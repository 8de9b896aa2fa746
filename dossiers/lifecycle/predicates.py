"""The deadline predicates, each defined once, in the three forms its readers need: a Q for querysets, a test
of one row for Python (serializers, pages), and the SQL text the sweeps' raw claims use.

Two dates are never confused, and each predicate's name says which one it compares:
- the appointment (`due_at`): the date and time the citizen holds on the receipt, moved by pauses and by an
  apology (Form 04). The desk and the API call a dossier past it "overdue" (Trễ hẹn: the `overdue` tab,
  filter and flag) and within one working day of it "due soon" (Sắp đến hạn).
- the legal due (`legal_due_at`): moved by pauses, never by an apology. The escalation sweep (the `overdue`
  notification, "quá hạn giải quyết") and the daily digest judge by it, and so do the 766 statistics, by
  calendar date (see `late_in_progress`).

A due instant is reached at the instant itself (17:00, the end of the office day): `due <= now`. "Due soon"
is after now and by the end of the next working day (deadlines.due_soon_limit). Only a running dossier
(received, processing) has a clock that can run late: a paused or finished one is neither overdue nor due
soon. A step is judged by its own due, while it is open and its dossier runs.

The partial indexes of the sweeps and the desk (dossier_*_pending, step_*_pending, dossier_*_status_due)
are declared over the same literal status list, so these texts are what those indexes serve.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import Q

from dossiers.lifecycle.deadlines import due_soon_limit
from dossiers.models import Dossier, DossierStep
from dossiers.models.dossier import PAUSED, RUNNING
from procedures.calendar import local

__all__ = [
    "RUNNING_SQL",
    "appointment_due_by_sql",
    "appointment_due_soon",
    "forced_late",
    "is_appointment_due_soon",
    "is_past_appointment",
    "is_past_legal_due",
    "is_step_due_soon",
    "is_step_past_due",
    "late_in_progress",
    "past_appointment",
    "past_legal_due",
    "past_legal_due_sql",
    "reached",
    "soon",
    "step_due_by_sql",
    "step_due_soon",
    "step_past_due",
]

RUNNING_VALUES = [s.value for s in RUNNING]
RUNNING_SQL = ", ".join(f"'{v}'" for v in RUNNING_VALUES)  # literals, so the partial indexes apply


# --- the instants, for any due -------------------------------------------------------------------------


def reached(due: datetime | None, now: datetime) -> bool:
    """The due instant has come (a missing due never comes: a procedure without a time limit)."""
    return due is not None and due <= now


def soon(due: datetime | None, now: datetime) -> bool:
    """The due instant is still ahead and by the end of the next working day."""
    return due is not None and now < due <= due_soon_limit(now)


def _running(d: Dossier) -> bool:
    return d.status in RUNNING_VALUES


# --- the appointment the citizen holds (due_at) ---------------------------------------------------------


def past_appointment(now: datetime) -> Q:
    """Running dossiers past the appointment the citizen holds: the desk's and the API's "overdue"."""
    return Q(status__in=RUNNING_VALUES, due_at__lte=now)


def is_past_appointment(d: Dossier, now: datetime) -> bool:
    return _running(d) and reached(d.due_at, now)


def appointment_due_soon(now: datetime) -> Q:
    """Running dossiers whose appointment is ahead, by the end of the next working day."""
    return Q(status__in=RUNNING_VALUES, due_at__gt=now, due_at__lte=due_soon_limit(now))


def is_appointment_due_soon(d: Dossier, now: datetime) -> bool:
    return _running(d) and soon(d.due_at, now)


def appointment_due_by_sql(alias: str = "d") -> str:
    """SQL: running, appointment by the instant given as the parameter (the due-soon sweep claims every row
    due by due_soon_limit, and tells only those not yet past: is_appointment_due_soon)."""
    return f"{alias}.status IN ({RUNNING_SQL}) AND {alias}.due_at <= %s"


# --- the legal due (legal_due_at) -----------------------------------------------------------------------


def past_legal_due(now: datetime) -> Q:
    """Running dossiers past their legal due (pauses shift it, an apology does not)."""
    return Q(status__in=RUNNING_VALUES, legal_due_at__lte=now)


def is_past_legal_due(d: Dossier, now: datetime) -> bool:
    return _running(d) and reached(d.legal_due_at, now)


def past_legal_due_sql(alias: str = "d") -> str:
    """SQL of past_legal_due; the parameter is now."""
    return f"{alias}.status IN ({RUNNING_SQL}) AND {alias}.legal_due_at <= %s"


def forced_late(d: Dossier) -> bool:
    """Late in the statistics whatever the dates: more than one supplement request, or an apology when
    settings.APOLOGY_COUNTS_AS_LATE (QĐ 766 as read here; x.forced_late in reporting/sql.py)."""
    return d.supplement_count > 1 or (bool(settings.APOLOGY_COUNTS_AS_LATE) and d.apology_count > 0)


def late_in_progress(d: Dossier, on: date) -> bool:
    """A dossier still open on the day `on` counts as "in progress, late" (QĐ 766): forced late, or not paused
    and its legal due date before `on`. Dates, not instants, as for a finished dossier (deadlines.
    classify_finish): one still open at 17:05 on its legal due date is past_legal_due (the escalation goes
    out) but is counted late from the next day. reporting/sql.py's "in_progress_late" bucket restates it."""
    if forced_late(d):
        return True
    if d.status in PAUSED or d.legal_due_at is None:
        return False
    return local(d.legal_due_at).date() < on


# --- the internal steps (their own due_at) --------------------------------------------------------------


def _open_step() -> Q:
    return Q(started_at__isnull=False, finished_at__isnull=True, dossier__status__in=RUNNING_VALUES)


def step_past_due(now: datetime) -> Q:
    """Open steps of running dossiers past the step's due."""
    return _open_step() & Q(due_at__lte=now)


def step_due_soon(now: datetime) -> Q:
    """Open steps of running dossiers whose due is ahead, by the end of the next working day."""
    return _open_step() & Q(due_at__gt=now, due_at__lte=due_soon_limit(now))


def _step_open(step: DossierStep, dossier_status: str) -> bool:
    return step.started_at is not None and step.finished_at is None and dossier_status in RUNNING_VALUES


def is_step_past_due(step: DossierStep, dossier_status: str, now: datetime) -> bool:
    return _step_open(step, dossier_status) and reached(step.due_at, now)


def is_step_due_soon(step: DossierStep, dossier_status: str, now: datetime) -> bool:
    return _step_open(step, dossier_status) and soon(step.due_at, now)


def step_due_by_sql(step: str = "s", dossier: str = "d") -> str:
    """SQL: an open step of a running dossier due by the instant given as the parameter."""
    return (
        f"{step}.started_at IS NOT NULL AND {step}.finished_at IS NULL AND {step}.due_at <= %s"
        f" AND {dossier}.status IN ({RUNNING_SQL})"
    )
