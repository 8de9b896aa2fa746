"""The working-day calendar: weekends, Vietnamese public holidays, make-up Saturdays and local overrides.

Answers are O(1): the calendar keeps a precomputed table over whole years (one flag per day, a prefix count of
working days, and the ordinal of every working day) and extends it a year at a time when a date falls outside.
A `CalendarOverride` row (local closure or extra working day) wins over the national calendar. Changes reach
every process (gunicorn and Celery workers) through a version number in the shared cache, bumped by the
override signals and read at most once per `CHECK_INTERVAL` seconds, so no call pays a cache or database
round trip.
"""

from __future__ import annotations

import logging
import threading
import time as _time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MIN_YEAR, MAX_YEAR = 1980, 2200
VERSION_KEY = "procedures:calendar:version"
CHECK_INTERVAL = 1.0  # seconds between two looks at the shared version number

WORKING_DAYS, CALENDAR_DAYS, SAME_DAY = "working_days", "calendar_days", "same_day"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, SAME_DAY)

_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_RETRY = object()  # a version no cache holds: reload at the next check

# (date, is_working, reason)
Override = tuple[date, bool, str]


@dataclass(frozen=True)
class DayNote:
    """Why a day is (not) a working day, in both languages."""

    day: date
    working: bool
    reason: str
    reason_en: str

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "working": self.working,
            "reason": self.reason,
            "reason_en": self.reason_en,
        }


class _Table:
    """Immutable precomputed years [first_year, last_year]; replaced as a whole, never mutated."""

    __slots__ = ("first_year", "last_year", "base", "working", "before", "workdays")

    def __init__(self, first_year: int, last_year: int, overrides: dict[date, bool]):
        self.first_year, self.last_year = first_year, last_year
        self.base = date(first_year, 1, 1).toordinal()
        end = date(last_year, 12, 31).toordinal()
        national = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
        make_up = set(national.weekend_workdays)
        working = bytearray(end - self.base + 1)
        before = [0] * (end - self.base + 2)  # before[i]: working days in [base, base + i)
        workdays: list[int] = []
        count = 0
        for i in range(len(working)):
            d = date.fromordinal(self.base + i)
            # Same rule as holidays.HolidayBase.is_working_day, then the local override.
            is_working = (d in make_up) if d.weekday() >= 5 else (d not in national)
            is_working = overrides.get(d, is_working)
            before[i] = count
            if is_working:
                working[i] = 1
                workdays.append(self.base + i)
                count += 1
        before[len(working)] = count
        self.working, self.before, self.workdays = working, before, workdays


def _load_overrides_from_db() -> list[Override]:
    from .models import CalendarOverride

    return list(CalendarOverride.objects.values_list("date", "is_working", "reason"))


def _cache():
    from django.core.cache import cache

    return cache


class WorkingCalendar:
    """Working days of the service centre. Use the module-level `calendar`; build others only in tests."""

    def __init__(
        self,
        overrides_loader: Callable[[], Iterable[Override]] | None = _load_overrides_from_db,
        shared_version: bool = True,
    ):
        self._loader = overrides_loader
        self._shared_version = shared_version
        self._lock = threading.Lock()
        self._table: _Table | None = None
        self._overrides: dict[date, tuple[bool, str]] = {}
        self._version: object = None
        self._checked_at = float("-inf")
        self._national_names: dict[int, holidays.HolidayBase] = {}

    # -- freshness ---------------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the table here and tell every other process (override saved or deleted)."""
        self.reset()
        if self._shared_version:
            try:
                _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            except Exception:  # the cache being down must not block an admin edit
                logger.warning("calendar: could not publish a new version", exc_info=True)

    def reset(self) -> None:
        """Drop the local table; the next call reloads overrides and rebuilds."""
        with self._lock:
            self._table = None
            self._checked_at = float("-inf")

    def _read_version(self) -> object:
        if not self._shared_version:
            return None
        try:
            return _cache().get(VERSION_KEY)
        except Exception:
            logger.warning("calendar: shared version unavailable", exc_info=True)
            return self._version

    def _load_overrides(self) -> dict[date, tuple[bool, str]] | None:
        """The override rows, or None when they cannot be read (no database yet, pure tests)."""
        if self._loader is None:
            return {}
        try:
            return {d: (w, r) for d, w, r in self._loader()}
        except Exception as exc:  # the national calendar still answers; retried at the next check
            logger.warning("calendar: overrides unavailable (%s), using the national calendar", exc)
            return None

    def _fresh(self, year_lo: int, year_hi: int) -> _Table:
        now = _time.monotonic()
        table = self._table
        if table is not None and now - self._checked_at < CHECK_INTERVAL:
            if table.first_year <= year_lo and year_hi <= table.last_year:
                return table
        with self._lock:
            table = self._table
            if now - self._checked_at >= CHECK_INTERVAL:
                version = self._read_version()
                self._checked_at = now
                if table is None or version != self._version:
                    overrides = self._load_overrides()
                    self._overrides = overrides or {}
                    self._version = version if overrides is not None else _RETRY
                    table = None
            if table is None or year_lo < table.first_year or year_hi > table.last_year:
                if not (MIN_YEAR <= year_lo and year_hi <= MAX_YEAR):
                    raise ValueError(f"date outside the supported years {MIN_YEAR}-{MAX_YEAR}")
                today = date.today().year
                lo = min(year_lo, table.first_year if table else today - 1)
                hi = max(year_hi, table.last_year if table else today + 2)
                table = _Table(lo, hi, {d: w for d, (w, _) in self._overrides.items()})
                self._table = table
            return table

    def _table_for(self, d: date, years_ahead: int = 0) -> _Table:
        return self._fresh(d.year, d.year + years_ahead)

    # -- answers -----------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        t = self._table_for(d)
        return bool(t.working[d.toordinal() - t.base])

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (n > 0), before d (n < 0), or d itself / the next working day (n = 0).

        Same answers as holidays' get_nth_working_day, plus local overrides.
        """
        span = abs(n) // 200 + 1  # ~250 working days a year: enough years to hold the answer
        while True:
            t = self._fresh(d.year - span, d.year) if n < 0 else self._fresh(d.year, d.year + span)
            i = d.toordinal() - t.base
            k = t.before[i + 1] + n - 1 if n > 0 else t.before[i] + n
            if 0 <= k < len(t.workdays):
                return date.fromordinal(t.workdays[k])
            span += 1

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        return self.add_working_days(d, 1)

    def working_day_on_or_after(self, d: date) -> date:
        return self.add_working_days(d, 0)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (negative when b < a): working_days_between(d, add(d, n)) == n."""
        if b < a:
            return -self.working_days_between(b, a)
        t = self._fresh(a.year, b.year)
        return t.before[b.toordinal() - t.base + 1] - t.before[a.toordinal() - t.base + 1]

    def working_days_in(self, a: date, b: date) -> list[date]:
        """Working days d with a < d <= b, in order."""
        if b <= a:
            return []
        t = self._fresh(a.year, b.year)
        lo = bisect_right(t.workdays, a.toordinal())
        hi = bisect_right(t.workdays, b.toordinal())
        return [date.fromordinal(o) for o in t.workdays[lo:hi]]

    # -- explanations ------------------------------------------------------------------------------

    def _national(self, year: int, language: str) -> holidays.HolidayBase:
        key = (year, language)
        if key not in self._national_names:
            self._national_names[key] = holidays.country_holidays("VN", years=year, language=language)
        return self._national_names[key]

    def describe(self, d: date) -> DayNote:
        """Why d is or is not a working day (override, holiday name, weekend, make-up Saturday)."""
        working = self.is_working_day(d)
        override = self._overrides.get(d)
        if override is not None and override[0] == working:
            label_vi = "Ngày làm việc (điều chỉnh)" if working else "Nghỉ (điều chỉnh)"
            label_en = "Working day (local override)" if working else "Closed (local override)"
            return DayNote(d, working, f"{label_vi}: {override[1]}", f"{label_en}: {override[1]}")
        vi, en = self._national(d.year, "vi"), self._national(d.year, "en_US")
        if d in vi and not working:
            return DayNote(d, False, vi[d], en.get(d, vi[d]))
        if d.weekday() >= 5:
            if working:
                return DayNote(
                    d,
                    True,
                    f"{_WEEKDAY_VI[d.weekday()]} làm bù",
                    f"Make-up working {_WEEKDAY_EN[d.weekday()]}",
                )
            return DayNote(d, False, _WEEKDAY_VI[d.weekday()], _WEEKDAY_EN[d.weekday()])
        if working:
            return DayNote(d, True, "Ngày làm việc", "Working day")
        return DayNote(d, False, "Ngày nghỉ", "Day off")

    def non_working_days(self, a: date, b: date) -> list[DayNote]:
        """Days skipped between a (exclusive) and b (inclusive), each with its reason."""
        notes, d = [], a + timedelta(days=1)
        while d <= b:
            if not self.is_working_day(d):
                notes.append(self.describe(d))
            d += timedelta(days=1)
        return notes


calendar = WorkingCalendar()
"""The shared calendar every module uses (deadlines, services, the due-date API)."""


# -- receipt dates and appointments (pure given the calendar) --------------------


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


# -- due-date preview (the duedate command and the calendar API) -------------------------------------------

MAX_PREVIEW_DAYS = 1000
PREVIEW_YEARS = (2000, 2100)


def parse_received(text: str | None) -> datetime:
    """'2026-02-13 10:00', '2026-02-13T10:00[:ss][+07:00]' or '2026-02-13' -> aware local datetime."""
    from config.errors import InvalidInput

    if not text or not str(text).strip():
        raise InvalidInput(
            "Thiếu thời điểm tiếp nhận.", "The receipt date and time is required.", code="start_required"
        )
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(
            f"Thời điểm tiếp nhận không hợp lệ: {text!s:.40}. Dùng dạng 2026-02-13 10:00.",
            f"Invalid receipt date and time: {text!s:.40}. Use 2026-02-13 10:00.",
            code="invalid_start",
        ) from None
    if not PREVIEW_YEARS[0] <= value.year <= PREVIEW_YEARS[1]:
        raise InvalidInput(
            f"Năm tiếp nhận phải trong khoảng {PREVIEW_YEARS[0]}-{PREVIEW_YEARS[1]}.",
            f"The receipt year must be within {PREVIEW_YEARS[0]}-{PREVIEW_YEARS[1]}.",
            code="invalid_start",
        )
    return local(value)


def parse_days(value) -> int:
    """A number of days 0..MAX_PREVIEW_DAYS, from an int or a string."""
    from config.errors import InvalidInput

    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = None
    if days is None or not 0 <= days <= MAX_PREVIEW_DAYS:
        raise InvalidInput(
            f"Số ngày phải là số nguyên từ 0 đến {MAX_PREVIEW_DAYS}.",
            f"Days must be a whole number from 0 to {MAX_PREVIEW_DAYS}.",
            code="invalid_days",
        )
    return days


def procedure_terms(code: str) -> tuple[int, str, dict]:
    """(days, unit, {code, name}) of an active procedure by its national code; InvalidInput when unknown."""
    from config.errors import InvalidInput

    from .models import Procedure

    procedure = Procedure.objects.filter(code=str(code).strip(), active=True).first()
    if procedure is None:
        raise InvalidInput(
            f"Không tìm thấy thủ tục mã {code!s:.40}.",
            f"Unknown procedure code {code!s:.40}.",
            code="unknown_procedure",
        )
    return procedure.processing_days, procedure.time_unit, {"code": procedure.code, "name": procedure.name}


def due_preview(received_at: datetime, days: int, unit: str = WORKING_DAYS) -> dict:
    """The appointment for a receipt, with the non-working days skipped on the way and why."""
    from config.errors import InvalidInput

    if unit not in UNITS:
        raise InvalidInput(
            f"Đơn vị thời hạn không hợp lệ: {unit!s:.40}.",
            f"Unknown time unit: {unit!s:.40}.",
            code="invalid_unit",
        )
    received_at = local(received_at)
    first = start_day(received_at)
    due = appointment_date(received_at, days, unit)
    after_cutoff = calendar.is_working_day(received_at.date()) and received_at.date() != first
    skipped = [
        note.as_dict() for note in calendar.non_working_days(received_at.date() - timedelta(days=1), due)
    ]
    return {
        "start": received_at.isoformat(),
        "days": 0 if unit == SAME_DAY else days,
        "unit": unit,
        "counts_from": first.isoformat(),
        "after_cutoff": after_cutoff,
        "due": due.isoformat(),
        "due_at": end_of_office_day(due).isoformat(),
        "working_days_counted": calendar.working_days_between(first, due),
        "skipped": skipped,
    }
