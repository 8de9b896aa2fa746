"""The working-day calendar: Vietnamese holidays, make-up Saturdays, overrides, O(1) answers."""

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest

from procedures.calendar import (
    LOCAL_TZ,
    WorkingCalendar,
    appointment_date,
    calendar,
    start_day,
    start_rule,
    within_office_hours,
)
from procedures.calendar import working as calendar_module
from procedures.models import CalendarOverride

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]


D = date


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        (D(2025, 1, 24), True, "Friday before Tết 2025"),
        (D(2025, 1, 27), False, "Tết 2025: 29 of the lunar year"),
        (D(2025, 1, 28), False, "Tết 2025: New Year's Eve"),
        (D(2025, 1, 29), False, "Tết 2025: first day"),
        (D(2025, 1, 31), False, "Tết 2025: third day"),
        (D(2025, 2, 1), False, "Tết 2025: fourth day, a Saturday"),
        (D(2025, 2, 3), True, "first Monday after Tết 2025"),
        (D(2025, 4, 7), False, "Hùng Kings 2025"),
        (D(2025, 4, 26), True, "make-up Saturday 2025"),
        (D(2025, 4, 30), False, "Reunification Day"),
        (D(2025, 5, 1), False, "Labour Day"),
        (D(2025, 5, 2), False, "day off swapped with 26/4/2025"),
        (D(2025, 9, 1), False, "National Day pair 2025"),
        (D(2025, 9, 2), False, "National Day 2025"),
        (D(2025, 11, 24), True, "Culture Day is a holiday only from 2026"),
        (D(2026, 2, 13), True, "Friday before Tết 2026"),
        (D(2026, 2, 14), False, "Saturday starting Tết 2026"),
        (D(2026, 2, 16), False, "Tết 2026: New Year's Eve"),
        (D(2026, 2, 20), False, "Tết 2026: fourth day"),
        (D(2026, 2, 22), False, "Sunday ending Tết 2026"),
        (D(2026, 2, 23), True, "first Monday after Tết 2026"),
        (D(2026, 4, 27), False, "Hùng Kings 2026 observed"),
        (D(2026, 4, 30), False, "Reunification Day 2026"),
        (D(2026, 5, 1), False, "Labour Day 2026"),
        (D(2026, 8, 22), True, "make-up Saturday 2026"),
        (D(2026, 8, 29), False, "an ordinary Saturday"),
        (D(2026, 8, 31), False, "day off swapped with 22/8/2026"),
        (D(2026, 9, 1), False, "National Day pair 2026"),
        (D(2026, 9, 2), False, "National Day 2026"),
        (D(2026, 9, 3), True, "Thursday after National Day"),
        (D(2026, 11, 24), False, "Vietnam Culture Day from 2026"),
        (D(2026, 11, 25), True, "ordinary Wednesday"),
    ],
)
def test_is_working_day(day, working, why):
    assert calendar.is_working_day(day) is working, why


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 2, 13), 0, D(2026, 2, 13)),  # a working day is its own 0th
        (D(2026, 2, 14), 0, D(2026, 2, 23)),  # else the next working day
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Tết 2026 skipped
        (D(2026, 2, 13), 5, D(2026, 2, 27)),
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # Tết 2025 skipped
        (D(2025, 4, 25), 1, D(2025, 4, 26)),  # make-up Saturday counts
        (D(2025, 4, 29), 1, D(2025, 5, 5)),  # 30/4, 1/5, 2/5 and the weekend
        (D(2026, 8, 21), 1, D(2026, 8, 22)),
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # 31/8, 1/9, 2/9
        (D(2026, 11, 23), 1, D(2026, 11, 25)),  # 24/11
        (D(2026, 2, 23), -1, D(2026, 2, 13)),  # backwards over Tết
        (D(2026, 1, 2), 250, None),  # the table grows across years as needed
        (D(2026, 1, 2), 600, None),
    ],
)
def test_add_working_days(start, n, expected):
    if expected is None:  # far away: same answer as holidays
        vn = holidays.country_holidays("VN", years=range(2025, 2030))
        expected = vn.get_nth_working_day(start, n)
    assert calendar.add_working_days(start, n) == expected


def test_identical_to_holidays_for_every_day_2020_to_2030_and_n_up_to_60():
    vn = holidays.country_holidays("VN", years=range(2019, 2033))
    cal = WorkingCalendar(overrides_loader=None, shared_version=False)
    mismatches = []
    day = D(2020, 1, 1)
    while day <= D(2030, 12, 31):
        for n in range(61):
            if cal.add_working_days(day, n) != vn.get_nth_working_day(day, n):
                mismatches.append((day, n))
        day += timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 2, 13), D(2026, 2, 27), 5),
        (D(2026, 2, 13), D(2026, 2, 13), 0),
        (D(2026, 2, 14), D(2026, 2, 22), 0),  # all of Tết 2026
        (D(2026, 2, 27), D(2026, 2, 13), -5),
        (D(2025, 4, 25), D(2025, 5, 5), 4),  # 26/4 (make-up Saturday), 28/4, 29/4, 5/5
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # 1/1 off; 2/1 and 5/1
    ],
)
def test_working_days_between(a, b, expected):
    assert calendar.working_days_between(a, b) == expected


def test_working_days_between_inverts_add_working_days():
    for n in range(0, 40):
        start = D(2026, 2, 10)
        assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("received", "days", "unit", "expected"),
    [
        (at(2026, 2, 13, 10), 5, "working_days", D(2026, 2, 27)),  # lands after Tết
        (at(2026, 2, 13, 15, 0), 5, "working_days", D(2026, 2, 27)),  # the cut-off is for same-day only
        (at(2026, 2, 14, 9), 1, "working_days", D(2026, 2, 24)),  # received on a holiday
        (at(2026, 2, 13, 14, 59), 0, "same_day", D(2026, 2, 13)),
        (at(2026, 2, 13, 15, 0), 0, "same_day", D(2026, 2, 23)),
        (at(2026, 2, 13, 10), 0, "working_days", D(2026, 2, 13)),  # 0 working days = same day
        (at(2025, 4, 25, 16), 0, "same_day", D(2025, 4, 26)),  # make-up Saturday opens
        (at(2026, 2, 9, 10), 15, "calendar_days", D(2026, 2, 24)),  # 24/2 is a Tuesday, a working day
        (at(2026, 2, 2, 10), 15, "calendar_days", D(2026, 2, 23)),  # 17/2 Tết -> next working day 23/2
        (at(2026, 8, 17, 10), 14, "calendar_days", D(2026, 9, 3)),  # 31/8 swapped day off -> 3/9
        (datetime(2026, 2, 13, 2, 30, tzinfo=None), 1, "working_days", D(2026, 2, 23)),  # naive = local
        (datetime(2026, 2, 13, 8, 30, tzinfo=UTC), 0, "same_day", D(2026, 2, 23)),  # 15:30 in Hà Nội
    ],
)
def test_appointment_date(received, days, unit, expected):
    assert appointment_date(received, days, unit) == expected


@pytest.mark.parametrize(("days", "unit"), [(-1, "working_days"), (3, "weeks")])
def test_appointment_date_rejects_bad_input(days, unit):
    with pytest.raises(ValueError):
        appointment_date(at(2026, 2, 13), days, unit)


def test_dates_outside_the_supported_years_are_refused():
    with pytest.raises(ValueError):
        calendar.is_working_day(D(1900, 1, 1))
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2199, 6, 1), 100_000)


def test_start_day_cutoff_uses_settings(settings):
    settings.OFFICE_CUTOFF = "16:00"
    assert start_day(at(2026, 2, 13, 15, 30), 0, "same_day") == D(2026, 2, 13)


# Fri 13/2/2026 is the last working day before Tết (off 14-22/2); Mon 2/3/2026 an ordinary Monday.
@pytest.mark.parametrize(
    ("scope", "received", "days", "unit", "start", "rule"),
    [
        ("same_day", at(2026, 3, 2, 14, 59), 0, "same_day", D(2026, 3, 2), "receipt_day"),
        ("same_day", at(2026, 3, 2, 15, 0), 0, "same_day", D(2026, 3, 3), "after_cutoff"),
        ("same_day", at(2026, 3, 2, 16), 0, "working_days", D(2026, 3, 3), "after_cutoff"),  # 0 days
        ("same_day", at(2026, 3, 2, 16), 3, "working_days", D(2026, 3, 2), "cutoff_not_applied"),
        ("same_day", at(2026, 2, 13, 16), 15, "calendar_days", D(2026, 2, 13), "cutoff_not_applied"),
        ("same_day", at(2026, 2, 13, 16), 0, "same_day", D(2026, 2, 23), "after_cutoff"),  # over Tết
        ("same_day", at(2026, 2, 14, 9), 3, "working_days", D(2026, 2, 23), "non_working_day"),
        ("same_day", at(2025, 4, 26, 16), 3, "working_days", D(2025, 4, 26), "cutoff_not_applied"),  # make-up
        ("all", at(2026, 3, 2, 14, 59), 3, "working_days", D(2026, 3, 2), "receipt_day"),
        ("all", at(2026, 3, 2, 15, 0), 3, "working_days", D(2026, 3, 3), "after_cutoff"),
        ("all", at(2026, 2, 13, 16), 15, "calendar_days", D(2026, 2, 23), "after_cutoff"),
        ("all", at(2026, 3, 2, 16), 0, "same_day", D(2026, 3, 3), "after_cutoff"),
        ("all", at(2026, 3, 7, 10), 3, "working_days", D(2026, 3, 9), "non_working_day"),  # Saturday
    ],
)
def test_start_rule_follows_the_cutoff_scope(settings, scope, received, days, unit, start, rule):
    settings.OFFICE_CUTOFF_SCOPE = scope
    assert start_rule(received, days, unit) == (start, rule)
    assert start_day(received, days, unit) == start


@pytest.mark.parametrize(
    ("scope", "received", "days", "unit", "expected"),
    [
        ("same_day", at(2026, 3, 2, 16), 3, "working_days", D(2026, 3, 5)),
        ("all", at(2026, 3, 2, 16), 3, "working_days", D(2026, 3, 6)),
        ("same_day", at(2026, 2, 13, 15, 30), 5, "working_days", D(2026, 2, 27)),
        ("all", at(2026, 2, 13, 15, 30), 5, "working_days", D(2026, 3, 2)),
        ("same_day", at(2026, 2, 13, 15, 30), 0, "same_day", D(2026, 2, 23)),
        ("all", at(2026, 2, 13, 15, 30), 0, "same_day", D(2026, 2, 23)),
    ],
)
def test_appointment_date_by_cutoff_scope(settings, scope, received, days, unit, expected):
    settings.OFFICE_CUTOFF_SCOPE = scope
    assert appointment_date(received, days, unit) == expected


@pytest.mark.parametrize(
    ("when", "inside"),
    [
        (at(2026, 3, 2, 6, 59), False),
        (at(2026, 3, 2, 7, 0), True),
        (at(2026, 3, 2, 11, 29), True),
        (at(2026, 3, 2, 11, 30), False),  # lunch break
        (at(2026, 3, 2, 13, 30), True),
        (at(2026, 3, 2, 16, 59), True),
        (at(2026, 3, 2, 17, 0), False),
        (at(2026, 3, 7, 9, 0), False),  # Saturday
        (at(2026, 2, 17, 9, 0), False),  # Tết
        (at(2025, 4, 26, 9, 0), True),  # make-up Saturday
    ],
)
def test_within_office_hours(when, inside):
    assert within_office_hours(when) is inside


@pytest.mark.parametrize(
    ("override_day", "is_working", "check_day", "expected"),
    [
        (D(2026, 3, 10), False, D(2026, 3, 10), False),  # local closure on a Tuesday
        (D(2026, 3, 15), True, D(2026, 3, 15), True),  # extra working Sunday
        (D(2026, 11, 24), True, D(2026, 11, 24), True),  # override wins over a national holiday
    ],
)
def test_override_wins(override_day, is_working, check_day, expected):
    assert calendar.is_working_day(check_day) is not expected
    CalendarOverride.objects.create(date=override_day, is_working=is_working, reason="Quyết định của UBND")
    assert calendar.is_working_day(check_day) is expected
    assert calendar.describe(check_day).reason.endswith("Quyết định của UBND")


def test_override_shifts_due_dates_and_deleting_restores():
    assert calendar.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 10)
    closure = CalendarOverride.objects.create(date=D(2026, 3, 10), is_working=False, reason="Bầu cử")
    assert calendar.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)
    closure.delete()
    assert calendar.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 10)


def test_other_processes_see_an_override_after_their_next_version_check(monkeypatch):
    other = WorkingCalendar()  # stands for a gunicorn or Celery worker process
    assert other.is_working_day(D(2026, 3, 10))
    CalendarOverride.objects.create(date=D(2026, 3, 10), is_working=False, reason="Bầu cử")
    assert other.is_working_day(D(2026, 3, 10))  # not re-checked within CHECK_INTERVAL
    monkeypatch.setattr(calendar_module, "CHECK_INTERVAL", 0.0)
    assert not other.is_working_day(D(2026, 3, 10))


def test_answers_cost_no_query_once_built(django_assert_num_queries):
    calendar.is_working_day(D(2026, 1, 5))
    with django_assert_num_queries(0):
        for n in range(2000):
            calendar.add_working_days(D(2026, 1, 5), n % 60)
            calendar.is_working_day(D(2026, 1, 1) + timedelta(days=n % 365))


def test_without_a_database_the_national_calendar_still_answers():
    def broken():
        raise RuntimeError("no database")

    cal = WorkingCalendar(overrides_loader=broken, shared_version=False)
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)


def test_skipped_days_are_explained():
    notes = calendar.non_working_days(D(2026, 2, 13), D(2026, 2, 27))
    assert [n.day for n in notes] == [D(2026, 2, d) for d in range(14, 23)]
    assert notes[0].reason == "Thứ Bảy"
    assert notes[2].reason == "Giao thừa Tết Nguyên Đán"
    assert calendar.describe(D(2026, 8, 22)).reason == "Thứ Bảy làm bù"
