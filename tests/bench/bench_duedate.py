"""Due-date computation: the precomputed calendar against holidays' get_nth_working_day on the same inputs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tests.bench.common import Stopwatch, per_second, print_table, setup_django

COLUMNS = ["name", "calls", "seconds", "calls_per_s", "ratio", "mismatches"]


def inputs(small: bool) -> list[tuple[date, int]]:
    """Every start day 2020-2030 with n 0..60 (small: every 13th day, n in steps of 7)."""
    days_step, n_step = (13, 7) if small else (1, 1)
    first, last = date(2020, 1, 1), date(2030, 12, 31)
    starts = [first + timedelta(days=i) for i in range(0, (last - first).days + 1, days_step)]
    return [(d, n) for d in starts for n in range(0, 61, n_step)]


def main(small: bool = False) -> list[dict]:
    setup_django()
    import holidays

    from dossiers.lifecycle.deadlines import appointment_for
    from procedures.calendar import LOCAL_TZ, calendar

    cases = inputs(small)
    national = holidays.country_holidays("VN", years=range(2019, 2033))
    calendar.add_working_days(
        date(2020, 1, 1), 0
    )  # build the tables outside the timing, as in a warm process
    calendar.add_working_days(date(2030, 12, 31), 60)
    national.get_nth_working_day(date(2030, 12, 31), 60)

    with Stopwatch() as ref:
        expected = [national.get_nth_working_day(d, n) for d, n in cases]
    with Stopwatch() as ours:
        got = [calendar.add_working_days(d, n) for d, n in cases]
    mismatches = sum(a != b for a, b in zip(expected, got, strict=True))
    receipts = [(datetime.combine(d, time(10, 0), tzinfo=LOCAL_TZ), n) for d, n in cases]
    with Stopwatch() as appointments:
        for received, n in receipts:
            appointment_for(received, n, "working_days")

    base = per_second(len(cases), ref.seconds)
    rows = [
        {
            "name": "holidays get_nth_working_day",
            "calls": len(cases),
            "seconds": ref.seconds,
            "calls_per_s": base,
            "ratio": 1.0,
            "mismatches": 0,
        },
        {
            "name": "calendar.add_working_days",
            "calls": len(cases),
            "seconds": ours.seconds,
            "calls_per_s": per_second(len(cases), ours.seconds),
            "ratio": per_second(len(cases), ours.seconds) / base,
            "mismatches": mismatches,
        },
        {
            "name": "deadlines.appointment_for",
            "calls": len(cases),
            "seconds": appointments.seconds,
            "calls_per_s": per_second(len(cases), appointments.seconds),
            "ratio": per_second(len(cases), appointments.seconds) / base,
            "mismatches": 0,
        },
    ]
    print_table(
        "due date: n-th working day, calls/s and speed-up over holidays (target >= 50x)", rows, COLUMNS
    )
    return rows


if __name__ == "__main__":
    main()
