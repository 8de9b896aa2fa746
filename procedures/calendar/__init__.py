"""The working-day calendar: weekends, Vietnamese public holidays, make-up Saturdays and local overrides.

Answers are O(1): the calendar keeps a precomputed table over whole years (one flag per day, a prefix count of
working days, and the ordinal of every working day) and extends it a year at a time when a date falls outside.
A `CalendarOverride` row (local closure or extra working day) wins over the national calendar. Changes reach
every process (gunicorn and Celery workers) through a version number in the shared cache, bumped by the
override signals and read at most once per `CHECK_INTERVAL` seconds, so no call pays a cache or database
round trip.

The pieces: `table` builds a year table, `working` holds the cached `calendar` and its shared version, `dates`
turns a receipt into an appointment, `preview` explains a due date; everything is importable from here.
"""

from __future__ import annotations

from .dates import (
    AFTER_CUTOFF,
    CALENDAR_DAYS,
    CUTOFF_NOT_APPLIED,
    CUTOFF_SCOPE_ALL,
    CUTOFF_SCOPE_SAME_DAY,
    CUTOFF_SCOPES,
    LOCAL_TZ,
    NON_WORKING_DAY,
    RECEIPT_DAY,
    SAME_DAY,
    START_RULES,
    UNITS,
    WORKING_DAYS,
    appointment_date,
    cutoff_applies,
    cutoff_scope,
    cutoff_time,
    end_of_office_day,
    is_same_day,
    local,
    office_day_end,
    parse_hhmm,
    start_day,
    start_rule,
    start_rule_text,
    within_office_hours,
)
from .preview import MAX_PREVIEW_DAYS, PREVIEW_YEARS, due_preview, parse_days, parse_received, procedure_terms
from .working import (
    CHECK_INTERVAL,
    MAX_YEAR,
    MIN_YEAR,
    VERSION_KEY,
    DayNote,
    Override,
    WorkingCalendar,
    calendar,
)

__all__ = [
    "AFTER_CUTOFF",
    "CALENDAR_DAYS",
    "CUTOFF_NOT_APPLIED",
    "CUTOFF_SCOPES",
    "CUTOFF_SCOPE_ALL",
    "CUTOFF_SCOPE_SAME_DAY",
    "CHECK_INTERVAL",
    "LOCAL_TZ",
    "MAX_PREVIEW_DAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NON_WORKING_DAY",
    "PREVIEW_YEARS",
    "RECEIPT_DAY",
    "SAME_DAY",
    "START_RULES",
    "UNITS",
    "VERSION_KEY",
    "WORKING_DAYS",
    "DayNote",
    "Override",
    "WorkingCalendar",
    "appointment_date",
    "calendar",
    "cutoff_applies",
    "cutoff_scope",
    "cutoff_time",
    "due_preview",
    "end_of_office_day",
    "is_same_day",
    "local",
    "office_day_end",
    "parse_days",
    "parse_hhmm",
    "parse_received",
    "procedure_terms",
    "start_day",
    "start_rule",
    "start_rule_text",
    "within_office_hours",
]
