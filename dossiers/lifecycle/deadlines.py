"""Deadline rules as pure functions over the shared working-day calendar (no ORM, no clock reads).

Conventions shared by every function here:
- Datetimes are aware; a naive one is read as Asia/Ho_Chi_Minh local time. Results are aware, in that zone.
- A due datetime is the end of office hours (the last range end of settings.OFFICE_HOURS, 17:00) on the
  due date.
- A receipt on a working day counts from that day, a receipt on a non-working day from the next working day
  ("the start day"); a receipt at or after the cut-off (settings.OFFICE_CUTOFF, 15:00) counts from the next
  working day when the cut-off applies: to same-day procedures (and any of 0 days), or to every procedure
  with settings.OFFICE_CUTOFF_SCOPE = "all" (procedures.calendar.start_rule decides, nowhere else).
- Units: "working_days" (the n-th working day after the start day), "calendar_days" (start day + n, moved to
  the next working day when that is not one), "same_day" (the start day).
- Comparisons of "early / on time / late" are by local calendar date, not by the minute.
- Bad input (unknown unit, negative days, dates outside 1980-2200) raises config.errors.InvalidInput.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from config.errors import InvalidInput
from procedures.calendar import (
    CALENDAR_DAYS,
    SAME_DAY,
    UNITS,
    WORKING_DAYS,
    appointment_date,
    calendar,
    end_of_office_day,
    local,
    start_day,
    start_rule,
    within_office_hours,
)

__all__ = [
    "CALENDAR_DAYS",
    "SAME_DAY",
    "WORKING_DAYS",
    "appointment_for",
    "classify_finish",
    "intake_warnings",
    "due_soon_limit",
    "end_of_office_day",
    "restart_clock",
    "shift_for_pause",
    "step_due_dates",
    "supplement_response_due",
    "validate_new_appointment",
    "working_days_late",
    "working_days_taken",
]

EARLY, ON_TIME, LATE = "early", "on_time", "late"


def _check(days: int, unit: str) -> None:
    if unit not in UNITS:
        raise InvalidInput(
            f"Đơn vị thời hạn không hợp lệ: {unit}.", f"Unknown time unit: {unit}.", code="invalid_unit"
        )
    if not isinstance(days, int) or days < 0:
        raise InvalidInput(
            "Số ngày phải là số nguyên không âm.", "Days must be a non-negative integer.", code="invalid_days"
        )


def _guard(fn, *args):
    try:
        return fn(*args)
    except ValueError as exc:
        raise InvalidInput(
            "Ngày nằm ngoài phạm vi lịch làm việc hỗ trợ (1980-2200).",
            f"Date outside the supported calendar: {exc}.",
            code="date_out_of_range",
        ) from exc


def appointment_for(received_at: datetime, days: int, unit: str) -> datetime:
    """The appointment (due) datetime for a procedure of `days` `unit` received at `received_at`.

    Counted from the start day (see the module docstring): 3 working_days received Monday 10:00 or 16:00 ->
    Thursday 17:00 (16:00 -> Friday with OFFICE_CUTOFF_SCOPE=all); same_day received 14:59 -> that day
    17:00, received 15:00 -> the next working day 17:00.
    """
    _check(days, unit)
    return end_of_office_day(_guard(appointment_date, received_at, days, unit))


def intake_warnings(received_at: datetime, days: int, unit: str) -> list[dict]:
    """What the clerk should know about a receipt outside office hours (settings.OFFICE_HOURS) or on a
    non-working day: intake is allowed, and each warning says from when the time is counted.

    Each item: {"code", "message" (Vietnamese), "message_en", "counts_from" (ISO date)}; [] within hours.
    """
    _check(days, unit)
    if within_office_hours(received_at):
        return []
    first, _rule = _guard(start_rule, received_at, days, unit)
    hours = ", ".join(part.strip() for part in settings.OFFICE_HOURS.split(","))
    if not calendar.is_working_day(local(received_at).date()):
        code, vi, en = "non_working_day", "Tiếp nhận vào ngày nghỉ", "Received on a non-working day"
    else:
        code, vi = "outside_office_hours", f"Tiếp nhận ngoài giờ làm việc ({hours})"
        en = f"Received outside office hours ({hours})"
    return [
        {
            "code": code,
            "message": f"{vi}: thời gian giải quyết được tính từ ngày {first:%d/%m/%Y}.",
            "message_en": f"{en}: the processing time counts from {first:%Y-%m-%d}.",
            "counts_from": first.isoformat(),
        }
    ]


def restart_clock(completed_at: datetime, days: int, unit: str) -> datetime:
    """A dossier incomplete at intake: its clock starts on completion, exactly as a receipt at that time."""
    return appointment_for(completed_at, days, unit)


def paused_working_days(paused_from: datetime, resumed_at: datetime) -> int:
    """Working days lost to a pause: those after the pause day up to and including the resume day.

    The pause day itself was worked on (the request was issued that day), the resume day is lost (the
    supplement arrives during it). Pause and resume on the same day: 0. Pause Monday, resume Wednesday: 2.
    Pause Friday, resume Monday: 1. A resume before the pause counts 0.
    """
    a, b = local(paused_from).date(), local(resumed_at).date()
    if b <= a:
        return 0
    return _guard(calendar.working_days_between, a, b)


def shift_for_pause(due_at: datetime, paused_from: datetime, resumed_at: datetime) -> tuple[datetime, int]:
    """(new due datetime, paused working days): the due date moves forward by the paused working days.

    The time of day of `due_at` is kept; see paused_working_days for how the days are counted.
    """
    days = paused_working_days(paused_from, resumed_at)
    if days == 0:
        return local(due_at), 0
    due = local(due_at)
    new_date = _guard(calendar.add_working_days, due.date(), days)
    return datetime.combine(new_date, due.timetz()), days


def step_due_dates(
    start: datetime,
    step_days: list[int],
    *,
    days: int,
    unit: str,
    not_after: datetime | None = None,
) -> list[datetime]:
    """Due datetimes of the internal steps, cumulative working days from the start day of a procedure of
    `days` `unit` (the dossier's own start day).

    Step i is due on the (step_days[0] + ... + step_days[i])-th working day after the start day (a 0-day
    step is due on the start day itself), at the end of office hours. The steps' budgets may add up to more
    than the dossier's time; the caller passes the dossier due as `not_after` (or clamps itself) so that no
    step is due later than the dossier.
    """
    if any(not isinstance(d, int) or d < 0 for d in step_days):
        raise InvalidInput(
            "Số ngày của bước phải là số nguyên không âm.",
            "Step days must be non-negative integers.",
            code="invalid_days",
        )
    _check(days, unit)
    first = _guard(start_day, start, days, unit)
    result, total = [], 0
    for days in step_days:
        total += days
        due = end_of_office_day(_guard(calendar.add_working_days, first, total))
        if not_after is not None and due > not_after:
            due = local(not_after)
        result.append(due)
    return result


def validate_new_appointment(old_due: datetime | None, new_due: datetime | None) -> None:
    """An apology (Form 04) must move the appointment to a later local date; raise InvalidInput otherwise."""
    if new_due is None:
        raise InvalidInput(
            "Cần nhập ngày hẹn trả mới.", "A new appointment date is required.", code="new_due_required"
        )
    if old_due is not None and local(new_due).date() <= local(old_due).date():
        old = local(old_due).date()
        raise InvalidInput(
            f"Ngày hẹn mới phải sau ngày hẹn cũ ({old:%d/%m/%Y}).",
            f"The new appointment date must be later than the old one ({old:%Y-%m-%d}).",
            code="new_due_not_later",
        )


def classify_finish(finished_at: datetime, due_at: datetime | None) -> str:
    """'early' before the due date, 'on_time' on it, 'late' after it (local calendar dates, QĐ 766); a dossier
    without a due date (a procedure with no time limit) is on time, as the report counts it."""
    if due_at is None:
        return ON_TIME
    finished, due = local(finished_at).date(), local(due_at).date()
    if finished < due:
        return EARLY
    return ON_TIME if finished == due else LATE


def working_days_late(finished_at: datetime, due_at: datetime) -> int:
    """Working days after the due date up to and including the finish date; 0 when not late."""
    finished, due = local(finished_at).date(), local(due_at).date()
    return max(0, _guard(calendar.working_days_between, due, finished))


def working_days_taken(start: datetime, end: datetime) -> int:
    """Working days after the start date up to and including the end date (0 if same day or earlier)."""
    a, b = local(start).date(), local(end).date()
    return max(0, _guard(calendar.working_days_between, a, b))


def due_soon_limit(now: datetime) -> datetime:
    """The end of the due-soon window (predicates.soon): the end of office hours of the next working day
    after today."""
    return end_of_office_day(calendar.add_working_days(local(now).date(), 1))


def supplement_response_due(requested_at: datetime, days: int | None = None) -> datetime:
    """When the citizen's supplement is due: `days` calendar days after the request's start day.

    `days` defaults to settings.SUPPLEMENT_RESPONSE_DAYS (read at call time); the date moves to the next
    working day when needed; the time is the end of office hours.
    """
    days = settings.SUPPLEMENT_RESPONSE_DAYS if days is None else days
    return appointment_for(requested_at, days, CALENDAR_DAYS)
