"""Deadline rules: appointments, pauses, restarts, steps, apologies and finish classification."""

from datetime import UTC, datetime

import pytest

from config.errors import InvalidInput
from dossiers.lifecycle import deadlines
from procedures.calendar import LOCAL_TZ

# The shared calendar reads local overrides.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]


def at(y, m, d, hh=17, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("received", "days", "unit", "due"),
    [
        (at(2026, 3, 2, 10), 3, "working_days", at(2026, 3, 5)),  # Monday -> Thursday 17:00
        (at(2026, 3, 2, 16), 3, "working_days", at(2026, 3, 5)),  # the cut-off is for same-day procedures
        (at(2026, 3, 2, 15, 0), 0, "working_days", at(2026, 3, 3)),  # 0 days = same day: 15:00 is after
        (at(2026, 3, 7, 9), 3, "working_days", at(2026, 3, 12)),  # Saturday receipt counts from Monday
        (at(2026, 2, 13, 10), 5, "working_days", at(2026, 2, 27)),  # across Tết 2026
        (at(2025, 1, 24, 10), 3, "working_days", at(2025, 2, 5)),  # across Tết 2025
        (at(2025, 4, 25, 10), 2, "working_days", at(2025, 4, 28)),  # 26/4/2025 make-up Saturday counts
        (at(2026, 8, 21, 10), 2, "working_days", at(2026, 8, 24)),  # 22/8/2026 make-up Saturday counts
        (at(2026, 8, 28, 10), 1, "working_days", at(2026, 9, 3)),  # 31/8, 1/9, 2/9 off
        (at(2026, 11, 23, 10), 1, "working_days", at(2026, 11, 25)),  # 24/11/2026 off
        (at(2026, 3, 2, 14, 59), 0, "same_day", at(2026, 3, 2)),
        (at(2026, 3, 2, 15, 1), 0, "same_day", at(2026, 3, 3)),
        (at(2026, 2, 13, 15, 30), 0, "same_day", at(2026, 2, 23)),  # after the cut-off before Tết
        (at(2026, 4, 29, 16), 0, "same_day", at(2026, 5, 4)),  # 30/4, 1/5 and the weekend
        (at(2026, 3, 2, 10), 15, "calendar_days", at(2026, 3, 17)),
        (at(2026, 2, 2, 10), 15, "calendar_days", at(2026, 2, 23)),  # ends on Tết: next working day
        (at(2026, 3, 6, 10), 1, "calendar_days", at(2026, 3, 9)),  # ends on Saturday: Monday
        (datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 3, "working_days", at(2026, 3, 5)),  # 09:00 local
    ],
)
def test_appointment_for(received, days, unit, due):  # default OFFICE_CUTOFF_SCOPE=same_day
    result = deadlines.appointment_for(received, days, unit)
    assert result == due
    assert result.tzinfo is not None and result.utcoffset().total_seconds() == 7 * 3600


def test_appointment_time_is_the_end_of_office_hours(settings):
    settings.OFFICE_HOURS = "07:30-11:30,13:00-16:30"
    assert deadlines.appointment_for(at(2026, 3, 2, 9), 1, "working_days") == at(2026, 3, 3, 16, 30)


@pytest.mark.parametrize(
    ("days", "unit", "code"), [(-1, "working_days", "invalid_days"), (3, "hours", "invalid_unit")]
)
def test_appointment_for_refuses_bad_input(days, unit, code):
    with pytest.raises(InvalidInput) as err:
        deadlines.appointment_for(at(2026, 3, 2, 9), days, unit)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("scope", "completed", "days", "unit", "due"),
    [
        ("same_day", at(2026, 3, 4, 10), 3, "working_days", at(2026, 3, 9)),
        ("same_day", at(2026, 3, 4, 16), 3, "working_days", at(2026, 3, 9)),  # the cut-off is for same-day
        ("all", at(2026, 3, 4, 16), 3, "working_days", at(2026, 3, 10)),
        ("same_day", at(2026, 3, 4, 16), 0, "same_day", at(2026, 3, 5)),
    ],
)
def test_restart_clock_counts_from_completion(settings, scope, completed, days, unit, due):
    settings.OFFICE_CUTOFF_SCOPE = scope
    assert deadlines.restart_clock(completed, days, unit) == due


@pytest.mark.parametrize(
    ("due", "paused", "resumed", "new_due", "days"),
    [
        (at(2026, 3, 10), at(2026, 3, 2, 9), at(2026, 3, 2, 16), at(2026, 3, 10), 0),  # same day
        (at(2026, 3, 10), at(2026, 3, 2, 9), at(2026, 3, 4, 9), at(2026, 3, 12), 2),  # Mon -> Wed: Tue, Wed
        (at(2026, 3, 10), at(2026, 3, 6, 9), at(2026, 3, 9, 9), at(2026, 3, 11), 1),  # Fri -> Mon: Mon
        (at(2026, 3, 10), at(2026, 3, 6, 9), at(2026, 3, 8, 9), at(2026, 3, 10), 0),  # resumed on Sunday
        (at(2026, 2, 25), at(2026, 2, 12, 9), at(2026, 2, 24, 9), at(2026, 3, 2), 3),  # 13, 23, 24: Tết free
        (at(2026, 3, 10), at(2026, 3, 4, 9), at(2026, 3, 2, 9), at(2026, 3, 10), 0),  # resume before pause
        (at(2026, 3, 10, 11), at(2026, 3, 2, 9), at(2026, 3, 3, 9), at(2026, 3, 11, 11), 1),  # keeps the time
    ],
)
def test_shift_for_pause(due, paused, resumed, new_due, days):
    assert deadlines.shift_for_pause(due, paused, resumed) == (new_due, days)


@pytest.mark.parametrize(
    ("start", "step_days", "expected"),
    [
        (at(2026, 3, 2, 9), [0, 2, 1, 0], [at(2026, 3, 2), at(2026, 3, 4), at(2026, 3, 5), at(2026, 3, 5)]),
        (at(2026, 3, 2, 16), [0, 1], [at(2026, 3, 2), at(2026, 3, 3)]),  # the cut-off is for same-day
        (at(2026, 2, 12, 9), [1, 1], [at(2026, 2, 13), at(2026, 2, 23)]),  # across Tết
        (at(2026, 3, 2, 9), [], []),
    ],
)
def test_step_due_dates_are_cumulative(start, step_days, expected):
    assert deadlines.step_due_dates(start, step_days, days=5, unit="working_days") == expected


@pytest.mark.parametrize(
    ("scope", "days", "unit", "expected"),
    [
        ("same_day", 3, "working_days", [at(2026, 3, 2), at(2026, 3, 3)]),
        ("all", 3, "working_days", [at(2026, 3, 3), at(2026, 3, 4)]),
        ("same_day", 0, "same_day", [at(2026, 3, 3), at(2026, 3, 4)]),
    ],
)
def test_step_due_dates_start_with_the_dossier(settings, scope, days, unit, expected):
    settings.OFFICE_CUTOFF_SCOPE = scope
    assert deadlines.step_due_dates(at(2026, 3, 2, 16), [0, 1], days=days, unit=unit) == expected


def test_step_due_dates_never_pass_the_dossier_due():
    due = at(2026, 3, 4)
    steps = deadlines.step_due_dates(at(2026, 3, 2, 9), [1, 5, 1], days=3, unit="working_days", not_after=due)
    assert steps == [at(2026, 3, 3), due, due]


def test_step_due_dates_refuse_negative_days():
    with pytest.raises(InvalidInput):
        deadlines.step_due_dates(at(2026, 3, 2, 9), [1, -1], days=3, unit="working_days")


@pytest.mark.parametrize(
    ("old", "new", "ok"),
    [
        (at(2026, 3, 5), at(2026, 3, 6), True),
        (at(2026, 3, 5), at(2026, 3, 5, 17, 30), False),  # same date, later hour: not a new day
        (at(2026, 3, 5), at(2026, 3, 4), False),
        (None, at(2026, 3, 4), True),
        (at(2026, 3, 5), None, False),
    ],
)
def test_validate_new_appointment(old, new, ok):
    if ok:
        deadlines.validate_new_appointment(old, new)
    else:
        with pytest.raises(InvalidInput) as err:
            deadlines.validate_new_appointment(old, new)
        assert err.value.vi and err.value.en


@pytest.mark.parametrize(
    ("finished", "due", "expected", "late_days"),
    [
        (at(2026, 3, 4, 9), at(2026, 3, 5), "early", 0),
        (at(2026, 3, 5, 8), at(2026, 3, 5), "on_time", 0),
        (at(2026, 3, 5, 23, 59), at(2026, 3, 5), "on_time", 0),  # the whole due date counts
        (at(2026, 3, 6, 7), at(2026, 3, 5), "late", 1),
        (at(2026, 3, 9, 7), at(2026, 3, 5), "late", 2),  # Friday and Monday
        (at(2026, 2, 23, 9), at(2026, 2, 13), "late", 1),  # Tết is not counted
        (datetime(2026, 3, 5, 17, 30, tzinfo=UTC), at(2026, 3, 5), "late", 1),  # 00:30 on 6/3 local
    ],
)
def test_classify_finish_and_working_days_late(finished, due, expected, late_days):
    assert deadlines.classify_finish(finished, due) == expected
    assert deadlines.working_days_late(finished, due) == late_days


@pytest.mark.parametrize(
    ("start", "end", "taken"),
    [
        (at(2026, 3, 2, 9), at(2026, 3, 2, 16), 0),
        (at(2026, 3, 2, 9), at(2026, 3, 5, 9), 3),
        (at(2026, 2, 13, 9), at(2026, 2, 27, 9), 5),
        (at(2026, 3, 5, 9), at(2026, 3, 2, 9), 0),
    ],
)
def test_working_days_taken(start, end, taken):
    assert deadlines.working_days_taken(start, end) == taken


def test_supplement_response_due_uses_settings(settings):
    settings.SUPPLEMENT_RESPONSE_DAYS = 10
    assert deadlines.supplement_response_due(at(2026, 3, 2, 9)) == at(2026, 3, 12)
    assert deadlines.supplement_response_due(at(2026, 3, 2, 9), days=5) == at(2026, 3, 9)  # Sat 7/3 -> Mon


def test_out_of_range_dates_are_a_clear_error():
    with pytest.raises(InvalidInput) as err:
        deadlines.appointment_for(datetime(1900, 1, 1, tzinfo=LOCAL_TZ), 1, "working_days")
    assert err.value.code == "date_out_of_range"


@pytest.mark.parametrize(
    ("received", "days", "unit", "code", "counts_from"),
    [
        (at(2026, 3, 2, 9), 3, "working_days", None, None),  # Monday in office hours
        (at(2026, 3, 2, 16, 59), 0, "same_day", None, None),  # in hours, after the cut-off: no warning
        (at(2026, 3, 2, 6, 30), 3, "working_days", "outside_office_hours", "2026-03-02"),
        (at(2026, 3, 2, 12, 0), 3, "working_days", "outside_office_hours", "2026-03-02"),  # lunch break
        (at(2026, 3, 2, 18, 0), 3, "working_days", "outside_office_hours", "2026-03-02"),
        (at(2026, 3, 2, 18, 0), 0, "same_day", "outside_office_hours", "2026-03-03"),
        (at(2026, 3, 7, 9, 0), 3, "working_days", "non_working_day", "2026-03-09"),  # Saturday
        (at(2026, 2, 17, 9, 0), 3, "working_days", "non_working_day", "2026-02-23"),  # Tết
        (at(2025, 4, 26, 9, 0), 3, "working_days", None, None),  # make-up Saturday is a working day
    ],
)
def test_intake_warnings_outside_office_hours(received, days, unit, code, counts_from):
    warnings = deadlines.intake_warnings(received, days, unit)
    assert [(w["code"], w["counts_from"]) for w in warnings] == ([(code, counts_from)] if code else [])
    for w in warnings:
        day = "/".join(reversed(counts_from.split("-")))
        assert w["message"].endswith(f"thời gian giải quyết được tính từ ngày {day}.")
        assert counts_from in w["message_en"]
