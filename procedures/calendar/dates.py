"""Receipt dates and appointments: local time, the cut-off, office hours, the due date of a receipt."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .working import WorkingCalendar, calendar

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

WORKING_DAYS, CALENDAR_DAYS, SAME_DAY = "working_days", "calendar_days", "same_day"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, SAME_DAY)


def local(dt: datetime) -> datetime:
    """dt in Asia/Ho_Chi_Minh; a naive datetime is taken as local time already."""
    return dt.replace(tzinfo=LOCAL_TZ) if dt.tzinfo is None else dt.astimezone(LOCAL_TZ)


@lru_cache(maxsize=64)
def parse_hhmm(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def cutoff_time() -> time:
    from django.conf import settings

    return parse_hhmm(getattr(settings, "OFFICE_CUTOFF", "15:00"))


def office_day_end() -> time:
    """The end of the last office-hours range (07:00-11:30,13:30-17:00 -> 17:00)."""
    from django.conf import settings

    return _day_end(settings.OFFICE_HOURS)


@lru_cache(maxsize=8)
def _day_end(office_hours: str) -> time:
    return parse_hhmm(office_hours.split(",")[-1].split("-")[1])


@lru_cache(maxsize=8)
def _ranges(office_hours: str) -> tuple[tuple[time, time], ...]:
    pairs = (part.split("-") for part in office_hours.split(",") if part.strip())
    return tuple((parse_hhmm(a), parse_hhmm(b)) for a, b in pairs)


def within_office_hours(at: datetime, cal: WorkingCalendar | None = None) -> bool:
    """Whether `at` is on a working day within one of settings.OFFICE_HOURS' ranges (end excluded)."""
    from django.conf import settings

    cal = cal or calendar
    when = local(at)
    if not cal.is_working_day(when.date()):
        return False
    return any(a <= when.time() < b for a, b in _ranges(settings.OFFICE_HOURS))


def end_of_office_day(d: date) -> datetime:
    """The due datetime of a due date: end of office hours, local time."""
    return datetime.combine(d, office_day_end(), tzinfo=LOCAL_TZ)


CUTOFF_SCOPE_SAME_DAY, CUTOFF_SCOPE_ALL = "same_day", "all"
CUTOFF_SCOPES = (CUTOFF_SCOPE_SAME_DAY, CUTOFF_SCOPE_ALL)

# How the start day was decided (start_rule), for the due-date preview and the receipt.
RECEIPT_DAY = "receipt_day"
AFTER_CUTOFF = "after_cutoff"
CUTOFF_NOT_APPLIED = "cutoff_not_applied"
NON_WORKING_DAY = "non_working_day"
START_RULES = (RECEIPT_DAY, AFTER_CUTOFF, CUTOFF_NOT_APPLIED, NON_WORKING_DAY)


def cutoff_scope() -> str:
    """settings.OFFICE_CUTOFF_SCOPE: "same_day" (DOMAIN.md: the cut-off is for same-day procedures) or "all"
    (provinces that apply it to every procedure)."""
    from django.conf import settings

    scope = getattr(settings, "OFFICE_CUTOFF_SCOPE", CUTOFF_SCOPE_SAME_DAY)
    return scope if scope in CUTOFF_SCOPES else CUTOFF_SCOPE_SAME_DAY


def is_same_day(days: int, unit: str) -> bool:
    """A "same day" procedure: the same_day unit, or 0 days of any unit (0 = trong ngày)."""
    return unit == SAME_DAY or days == 0


def cutoff_applies(days: int, unit: str) -> bool:
    """Whether the office cut-off moves a late receipt of this procedure to the next working day."""
    return is_same_day(days, unit) or cutoff_scope() == CUTOFF_SCOPE_ALL


def start_rule(
    received_at: datetime,
    days: int,
    unit: str,
    cutoff: time | None = None,
    cal: WorkingCalendar | None = None,
) -> tuple[date, str]:
    """(the day a receipt counts from, the rule that decided it): the one place the start day is decided.

    A non-working day counts from the next working day; a working day counts from itself, unless the
    receipt is at or after the cut-off and the cut-off applies to the procedure (cutoff_applies).
    """
    cal = cal or calendar
    when = local(received_at)
    d = when.date()
    if not cal.is_working_day(d):
        return cal.next_working_day(d), NON_WORKING_DAY
    if when.time() < (cutoff or cutoff_time()):
        return d, RECEIPT_DAY
    if cutoff_applies(days, unit):
        return cal.next_working_day(d), AFTER_CUTOFF
    return d, CUTOFF_NOT_APPLIED


def start_day(
    received_at: datetime,
    days: int,
    unit: str,
    cutoff: time | None = None,
    cal: WorkingCalendar | None = None,
) -> date:
    """The day a receipt of a procedure of `days` `unit` counts from (see start_rule)."""
    return start_rule(received_at, days, unit, cutoff, cal)[0]


def start_rule_text(rule: str, cutoff: time | None = None) -> tuple[str, str]:
    """The rule in a sentence, (Vietnamese, English)."""
    at = f"{cutoff or cutoff_time():%H:%M}"
    return {
        RECEIPT_DAY: ("Tính từ ngày tiếp nhận.", "Counted from the day of receipt."),
        AFTER_CUTOFF: (
            f"Tiếp nhận sau {at}: tính từ ngày làm việc tiếp theo.",
            f"Received after {at}: counted from the next working day.",
        ),
        CUTOFF_NOT_APPLIED: (
            f"Tiếp nhận sau {at} nhưng giờ chốt chỉ áp dụng cho thủ tục giải quyết trong ngày: "
            "tính từ ngày tiếp nhận.",
            f"Received after {at}, but the cut-off applies to same-day procedures only: "
            "counted from the day of receipt.",
        ),
        NON_WORKING_DAY: (
            "Tiếp nhận vào ngày nghỉ: tính từ ngày làm việc tiếp theo.",
            "Received on a non-working day: counted from the next working day.",
        ),
    }[rule]


def appointment_date(
    received_at: datetime,
    days: int,
    unit: str,
    cutoff: time | None = None,
    cal: WorkingCalendar | None = None,
) -> date:
    """The appointment (due) date for a procedure of `days` in `unit` received at `received_at`.

    The start day is start_rule's (the cut-off moves it for same-day procedures, or for all with
    OFFICE_CUTOFF_SCOPE=all).
    - same_day: the start day; days is ignored.
    - working_days: the days-th working day after the start day (days = 0: the start day).
    - calendar_days: start day + days; when that is not a working day, the next working day.
    """
    cal = cal or calendar
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r}")
    if days < 0:
        raise ValueError("days must not be negative")
    first = start_day(received_at, days, unit, cutoff, cal)
    if unit == SAME_DAY:
        return first
    if unit == WORKING_DAYS:
        return cal.add_working_days(first, days)
    return cal.add_working_days(first + timedelta(days=days), 0)
