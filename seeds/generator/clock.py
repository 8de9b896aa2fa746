"""Time for the generator as whole seconds, with working days and deadlines tabulated once per run.

An instant is an int of Unix seconds; a day is a date ordinal. Vietnam keeps UTC+7 all year, so local days
and times are plain arithmetic. Working-day answers come from tables copied from procedures.calendar over
the run's range, and every due date comes from dossiers.deadlines, computed once per distinct input
(receipt day, cut-off side, procedure) instead of once per dossier.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime

from dossiers.lifecycle import deadlines
from procedures.calendar import LOCAL_TZ, calendar, cutoff_applies, cutoff_time, office_day_end

OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving
DAY = 86400
MINUTE = 60
UNIX_ORDINAL = date(1970, 1, 1).toordinal()


def instant(day: int, second: int) -> int:
    """Unix seconds of local `second` of the day with ordinal `day`."""
    return (day - UNIX_ORDINAL) * DAY + second - OFFSET


def day_of(t: int) -> int:
    """The local day ordinal of instant t."""
    return (t + OFFSET) // DAY + UNIX_ORDINAL


def to_datetime(t: int) -> datetime:
    return datetime.fromtimestamp(t, LOCAL_TZ)


def from_datetime(value: datetime) -> int:
    return int(value.timestamp())


def _seconds(t) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class Clock:
    """Working days over [first, last] days (ordinals) plus memoised deadlines for the run."""

    def __init__(self, first: date, last: date):
        self.lo = first.toordinal()
        self.hi = last.toordinal()
        self.working = [calendar.is_working_day(date.fromordinal(o)) for o in range(self.lo, self.hi + 1)]
        self.before = [0]  # before[i]: working days in [lo, lo + i)
        for flag in self.working:
            self.before.append(self.before[-1] + flag)
        self.workdays = [self.lo + i for i, flag in enumerate(self.working) if flag]
        self.cutoff = _seconds(cutoff_time())
        self.end_of_day = _seconds(office_day_end())
        self._due: dict[tuple, int] = {}
        self._steps: dict[tuple, list[int]] = {}

    def add(self, day: int, n: int) -> int:
        """procedures.calendar's add_working_days on ordinals."""
        if self.lo <= day <= self.hi:
            i = day - self.lo
            k = self.before[i + 1] + n - 1 if n > 0 else self.before[i] + n
            if 0 <= k < len(self.workdays):
                return self.workdays[k]
        return calendar.add_working_days(date.fromordinal(day), n).toordinal()

    def between(self, a: int, b: int) -> int:
        """Working days d with a < d <= b (negative when b < a)."""
        if b < a:
            return -self.between(b, a)
        if self.lo <= a and b <= self.hi:
            return self.before[b - self.lo + 1] - self.before[a - self.lo + 1]
        return calendar.working_days_between(date.fromordinal(a), date.fromordinal(b))

    def working_days(self, a: int, b: int) -> list[int]:
        """Working days d with a <= d <= b."""
        return self.workdays[bisect_right(self.workdays, a - 1) : bisect_right(self.workdays, b)]

    def end_of_office_day(self, day: int) -> int:
        return instant(day, self.end_of_day)

    def start_day(self, received: int, days: int, unit: str) -> int:
        """The day a receipt counts from: procedures.calendar.start_day on ints."""
        day = day_of(received)
        if self.lo <= day <= self.hi and self.working[day - self.lo]:
            if (received + OFFSET) % DAY < self.cutoff or not cutoff_applies(days, unit):
                return day
        return self.add(day, 1)

    def appointment(self, received: int, days: int, unit: str) -> int:
        """deadlines.appointment_for, once per (start day, days, unit)."""
        key = (self.start_day(received, days, unit), days, unit)
        due = self._due.get(key)
        if due is None:
            due = self._due[key] = from_datetime(deadlines.appointment_for(to_datetime(received), days, unit))
        return due

    def step_dues(
        self, received: int, step_days: tuple[int, ...], not_after: int, days: int, unit: str
    ) -> list[int]:
        """deadlines.step_due_dates, once per (start day, step budgets, dossier due)."""
        key = (self.start_day(received, days, unit), step_days, not_after)
        dues = self._steps.get(key)
        if dues is None:
            dues = self._steps[key] = [
                from_datetime(d)
                for d in deadlines.step_due_dates(
                    to_datetime(received),
                    list(step_days),
                    days=days,
                    unit=unit,
                    not_after=to_datetime(not_after),
                )
            ]
        return dues

    def shift_for_pause(self, due: int, paused: int, resumed: int) -> tuple[int, int]:
        """deadlines.shift_for_pause (rare: only dossiers with a supplement)."""
        new_due, days = deadlines.shift_for_pause(to_datetime(due), to_datetime(paused), to_datetime(resumed))
        return from_datetime(new_due), days

    def supplement_due(self, paused: int) -> int:
        return from_datetime(deadlines.supplement_response_due(to_datetime(paused)))
