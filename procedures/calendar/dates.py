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


def end_of_office_day(d: date) -> datetime:
    """The due datetime of a due date: end of office hours, local time."""
    return datetime.combine(d, office_day_end(), tzinfo=LOCAL_TZ)


def start_day(received_at: datetime, cutoff: time | None = None, cal: WorkingCalendar | None = None) -> date:
    """The day a receipt counts from: that day if working and before the cut-off, else the next one."""
    cal = cal or calendar
    when = local(received_at)
    cutoff = cutoff or cutoff_time()
    d = when.date()
    if cal.is_working_day(d) and when.time() < cutoff:
        return d
    return cal.next_working_day(d)


def appointment_date(
    received_at: datetime,
    days: int,
    unit: str,
    cutoff: time | None = None,
    cal: WorkingCalendar | None = None,
) -> date:
    """The appointment (due) date for a procedure of `days` in `unit` received at `received_at`.

    - same_day: the start day (receipt day before the cut-off, else the next working day); days is ignored.
    - working_days: the days-th working day after the start day (days = 0: the start day).
    - calendar_days: start day + days; when that is not a working day, the next working day.
    """
    cal = cal or calendar
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r}")
    if days < 0:
        raise ValueError("days must not be negative")
    first = start_day(received_at, cutoff, cal)
    if unit == SAME_DAY:
        return first
    if unit == WORKING_DAYS:
        return cal.add_working_days(first, days)
    return cal.add_working_days(first + timedelta(days=days), 0)
