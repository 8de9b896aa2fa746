"""The reporting period: parsing from/to/preset query parameters, local day bounds and calendar months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from config.errors import InvalidInput, field_error
from procedures.calendar import LOCAL_TZ, MAX_YEAR, MIN_YEAR

MAX_YEARS = 5
PRESETS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    """Inclusive local dates [start, end]; `today` caps the day open dossiers are judged at."""

    start: date
    end: date
    today: date

    @property
    def lo(self) -> datetime:
        """Aware start of the first day (Asia/Ho_Chi_Minh)."""
        return datetime.combine(self.start, time.min, tzinfo=LOCAL_TZ)

    @property
    def hi(self) -> datetime:
        """Aware start of the day after the last day (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)

    @property
    def ref(self) -> date:
        """The day at which in-progress dossiers are judged: the end of the period, or today if earlier."""
        return min(self.end, self.today)

    def clipped(self) -> Period:
        """The period the figures are computed over. Nothing is received, finished or paid after now and open
        dossiers are judged at today either way, so a period reaching today counts the same as one ending with
        today's month: months after it would only repeat today's open dossiers (the trend stops at this
        month), and the current month, whole, can be read from its rollups."""
        if not self.start <= self.today <= self.end:
            return self
        return Period(self.start, month_end(self.today.replace(day=1)), self.today)

    def months(self) -> list[Period]:
        """The calendar months of the period, clipped to it."""
        out, first = [], self.start
        while first <= self.end:
            nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            out.append(Period(first, min(nxt - timedelta(days=1), self.end), self.today))
            first = nxt
        return out

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    def as_params(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


def local_today() -> date:
    return timezone.now().astimezone(LOCAL_TZ).date()


def preset_period(preset: str, today: date | None = None) -> Period:
    """This month, this quarter or this year, up to its last day."""
    today = today or local_today()
    if preset == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31), today)
    if preset == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = date(today.year, first_month, 1)
        end_month = first_month + 2
        end = date(today.year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1)
        return Period(start, end, today)
    start = date(today.year, today.month, 1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end, today)


def _out_of_range(name: str) -> InvalidInput:
    return InvalidInput(
        "Khoảng thời gian không hợp lệ.",
        "Invalid period.",
        code="invalid_period",
        fields={
            name: field_error(
                f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.", f"The year must be {MIN_YEAR}-{MAX_YEAR}."
            )
        },
    )


def parse_date(name: str, text: str) -> date:
    """An ISO date given as the query parameter `name`, within the calendar's years; else InvalidInput."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            "Khoảng thời gian không hợp lệ.",
            "Invalid period.",
            code="invalid_period",
            fields={
                name: field_error(
                    f"Ngày không hợp lệ: {text!r} (định dạng YYYY-MM-DD).",
                    f"Invalid date: {text!r} (format YYYY-MM-DD).",
                )
            },
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _out_of_range(name)
    return day


def parse_period(params, today: date | None = None) -> Period:
    """Read `from`, `to` and `preset` from a QueryDict/dict; bad input raises InvalidInput (bilingual 400)."""
    today = today or local_today()
    preset = (params.get("preset") or "").strip()
    raw_from, raw_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if preset and preset not in PRESETS:
        raise InvalidInput(
            "Khoảng thời gian không hợp lệ.",
            "Invalid period.",
            code="invalid_period",
            fields={"preset": field_error("Chọn tháng, quý hoặc năm.", "Choose month, quarter or year.")},
        )
    if preset or not (raw_from or raw_to):
        default = preset_period(preset or "month", today)
        if preset:
            return default
    else:
        default = preset_period("month", today)
    start = parse_date("from", raw_from) if raw_from else default.start
    end = parse_date("to", raw_to) if raw_to else default.end
    if start > end:
        raise InvalidInput(
            "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
            "'from' must not be after 'to'.",
            code="invalid_period",
            fields={"from": field_error("Sau ngày kết thúc.", "After the end date.")},
        )
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_YEARS, day=28)
    if end >= limit:
        raise InvalidInput(
            f"Khoảng thời gian không được dài quá {MAX_YEARS} năm.",
            f"The period may not exceed {MAX_YEARS} years.",
            code="invalid_period",
            fields={"to": field_error("Quá xa ngày bắt đầu.", "Too far from the start date.")},
        )
    return Period(start, end, today)
