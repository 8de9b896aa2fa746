"""Year tables of working days: weekends, Vietnamese holidays, make-up Saturdays, then local overrides."""

from __future__ import annotations

from datetime import date

import holidays


class YearTable:
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
