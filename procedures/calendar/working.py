"""The shared WorkingCalendar: year tables cached per process, rebuilt when an override changes anywhere."""

from __future__ import annotations

import logging
import threading
import time as _time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

from .table import YearTable

logger = logging.getLogger(__name__)

MIN_YEAR, MAX_YEAR = 1980, 2200
VERSION_KEY = "procedures:calendar:version"
CHECK_INTERVAL = 1.0  # seconds between two looks at the shared version number

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


def _load_overrides_from_db() -> list[Override]:
    from ..models import CalendarOverride

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
        self._table: YearTable | None = None
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

    def _fresh(self, year_lo: int, year_hi: int) -> YearTable:
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
                table = YearTable(lo, hi, {d: w for d, (w, _) in self._overrides.items()})
                self._table = table
            return table

    def _table_for(self, d: date, years_ahead: int = 0) -> YearTable:
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
