"""Monthly rollups: the report read from them equals the raw recount for any period, stays exact when a closed
month changes, and reconcile_stats proves it."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from dossiers import indicators as ind
from dossiers.events import record_event
from dossiers.models import Dossier, StatsMonth, StatsRollup, Status
from dossiers.stats import Period, aggregate
from dossiers.stats.combine import percentile
from dossiers.stats.rollup import covered_months, refresh
from dossiers.stats.scope import Scope
from dossiers.stats.tables import build_many
from tests import factories

from .stats_fixture import EXPECTED
from .stats_fixture import build as build_fixture

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 2, 10, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
FINAL = (Status.RETURNED, Status.RESOLVED, Status.WITHDRAWN, Status.REFUSED, Status.STOPPED)
OPEN = (Status.PROCESSING, Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)
PERIODS = {
    "year 2025": Period(date(2025, 1, 1), date(2025, 12, 31), TODAY),
    "quarter 2": Period(date(2025, 4, 1), date(2025, 6, 30), TODAY),
    "quarter 4 with January": Period(date(2025, 10, 1), date(2026, 1, 31), TODAY),
    "partial months at both ends": Period(date(2025, 3, 15), date(2025, 8, 10), TODAY),
    "this year (January closed, February open)": Period(date(2026, 1, 1), date(2026, 12, 31), TODAY),
    "one closed month": Period(date(2025, 11, 1), date(2025, 11, 30), TODAY),
    "year judged in December": Period(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)),
}
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))
DIMENSIONS = ("summary", "agency", "procedure", "sector", "month")


def _at(day: date, rnd: random.Random) -> datetime:
    return datetime.combine(day, time(rnd.randrange(24), rnd.randrange(60)), tzinfo=TZ)


def generate(wards, procedures, n: int, seed: int = 766) -> None:
    """Random but consistent dossiers: received ≤ paid ≤ resolved ≤ finished ≤ now."""
    rnd = random.Random(seed)
    first, days = date(2024, 11, 1), (TODAY - date(2024, 11, 1)).days
    rows = []
    for i in range(n):
        received = _at(first + timedelta(days=rnd.randrange(days)), rnd)
        due = datetime.combine(received.date() + timedelta(days=rnd.randrange(15)), time(17), tzinfo=TZ)
        long = rnd.random() < 0.05  # some beyond the histogram's day columns
        finished = received + timedelta(hours=rnd.randrange(24 * (90 if long else 25)))
        status = rnd.choice(FINAL) if finished < NOW and rnd.random() < 0.85 else rnd.choice(OPEN)
        if status in OPEN:
            finished = None
        resolved = finished - timedelta(hours=rnd.randrange(48)) if status in FINAL[:2] else None
        if resolved is not None and resolved < received:
            resolved = received
        paid = received + timedelta(hours=1) if rnd.random() < 0.3 and (finished or NOW) > received else None
        rows.append(
            Dossier(
                code=f"R{seed}-{i:05d}",
                procedure=rnd.choice(procedures),
                receiving_agency=(ward := rnd.choice(wards)),
                competent_agency=ward,
                applicant_name="Trần Thị Bình",
                applicant_id_number="001190012345",
                status=status,
                channel=rnd.choice(("online", "counter", "post")),
                received_at=received,
                clock_started_at=received,
                due_at=due,
                legal_due_at=due,
                original_due_at=due,
                finished_at=finished,
                resolved_at=resolved,
                supplement_count=rnd.choice((0, 0, 0, 1, 2)),
                apology_count=int(rnd.random() < 0.05),
                paused_working_days=rnd.choice((0, 0, 1, 2)),
                paid_at=paid if paid and (finished is None or paid <= finished) else None,
                paid_online=rnd.random() < 0.5,
                is_digitised=rnd.random() < 0.8,
                reuses_data=rnd.random() < 0.5,
                e_result_status="done" if resolved and rnd.random() < 0.8 else "",
                satisfaction=rnd.choice(("", "very_satisfied", "satisfied", "not_satisfied"))
                if resolved
                else "",
                tracking_pin="123456",
            )
        )
    Dossier.objects.bulk_create(rows)


@pytest.fixture
def province_data(province):
    with time_machine.travel(NOW, tick=False):
        wards = [factories.agency(parent=province) for _ in range(3)]
        sectors = [factories.sector("hotich", "Hộ tịch"), factories.sector("chungthuc", "Chứng thực")]
        procedures = [factories.procedure(days=d, sector=sectors[d % 2]) for d in (0, 1, 3, 5)]
        generate(wards, procedures, 900)
        yield {province.id, *(w.id for w in wards)}, wards


def _report(ids, period) -> dict:
    tables = build_many(
        ["summary", "by-agency", "by-procedure", "by-sector", "indicators"],
        Scope(frozenset(ids), frozenset(ids)),
        period,
    )
    out = {by: aggregate(ids, period, by) for by in DIMENSIONS}
    out["tables"] = {name: t.rows for name, t in tables.items()}
    out["indicators"] = ind.indicators(ids, period)
    return out


@pytest.mark.parametrize("name", list(PERIODS))
def test_the_rollup_path_equals_the_raw_path(province_data, name):
    ids, wards = province_data
    period = PERIODS[name]
    with time_machine.travel(NOW, tick=False):
        raw = _report(ids, period)
        refresh()
        assert covered_months(ids, period)  # the second report really reads rollups
        rolled = _report(ids, period)
        assert rolled == raw
        one_ward = {wards[0].id}
        assert aggregate(one_ward, period, "summary") == raw_of(one_ward, period)


def raw_of(ids, period):
    StatsMonth.objects.update(dirty=True)
    try:
        return aggregate(ids, period, "summary")
    finally:
        StatsMonth.objects.update(dirty=False)


def test_closed_months_before_today_are_covered_once_built(province_data):
    ids, _ = province_data
    with time_machine.travel(NOW, tick=False):
        assert covered_months(ids, PERIODS["year 2025"]) == set()
        result = refresh()
        assert StatsRollup.objects.exclude(hist=[]).exists()  # some took longer than the day columns
        assert result["missing_months"] == 15  # November 2024 to January 2026
        assert covered_months(ids, PERIODS["year 2025"]) == {date(2025, m, 1) for m in range(1, 13)}
        assert covered_months(ids, PERIODS["this year (January closed, February open)"]) == {date(2026, 1, 1)}
        assert covered_months(ids, PERIODS["year judged in December"]) == {
            date(2025, m, 1) for m in range(1, 12)
        }
        assert refresh() == {"missing_months": 0, "dirty_months": 0, "rows": 0}


def test_an_event_on_a_dossier_of_a_closed_month_marks_it_dirty_and_the_task_rebuilds_it(province_data):
    ids, _ = province_data
    with time_machine.travel(NOW, tick=False):
        refresh()
        dossier = (
            Dossier.objects.filter(status=Status.PROCESSING, received_at__lt=datetime(2025, 12, 1, tzinfo=TZ))
            .order_by("received_at")
            .first()
        )
        received_month = dossier.received_at.astimezone(TZ).date().replace(day=1)
        Dossier.objects.filter(pk=dossier.pk).update(supplement_count=2)  # now late whatever its dates
        dossier = Dossier.objects.get(pk=dossier.pk)
        record_event(dossier, "note", note="Điều chỉnh")
        dirty = set(
            StatsMonth.objects.filter(dirty=True, agency=dossier.competent_agency).values_list(
                "month", flat=True
            )
        )
        assert min(dirty) == received_month and max(dirty) == date(2026, 1, 1)
        year = PERIODS["year 2025"]
        raw = aggregate(ids, year, "agency")  # dirty months are read raw
        assert refresh()["dirty_months"] == len(dirty)
        assert aggregate(ids, year, "agency") == raw
        call_command("reconcile_stats")


def test_an_event_on_a_dossier_of_this_month_writes_nothing(province_data, django_assert_num_queries):
    _ids, wards = province_data
    with time_machine.travel(NOW, tick=False):
        refresh()
        dossier = factories.dossier(procedure=factories.procedure(), agency=wards[0], received_at=NOW)
        from dossiers.stats.rollup import mark_dirty

        with django_assert_num_queries(0):
            assert mark_dirty(dossier) == 0


def test_reconcile_reports_a_difference_with_exit_1_and_fixes_it(province_data, capsys):
    with time_machine.travel(NOW, tick=False):
        refresh()
        call_command("reconcile_stats", "--from", "2025-01", "--to", "2025-12")
        row = StatsRollup.objects.filter(month=date(2025, 5, 1)).first()
        StatsRollup.objects.filter(pk=row.pk).update(late=row.late + 1)
        with pytest.raises(SystemExit) as exit:
            call_command("reconcile_stats")
        assert exit.value.code == 1
        assert "2025-05" in capsys.readouterr().out
        with pytest.raises(SystemExit):
            call_command("reconcile_stats", "--fix")
        call_command("reconcile_stats")
        assert "0 chênh lệch" in capsys.readouterr().out


def test_build_command_builds_every_closed_month(province_data):
    with time_machine.travel(NOW, tick=False):
        call_command("build_stats_rollups")
        assert StatsMonth.objects.filter(dirty=False).values("month").distinct().count() == 15


@pytest.mark.parametrize(
    ("hist", "expected"),
    [
        ({}, None),
        ({5: 1}, 5.0),
        ({0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 6: 1}, 4.4),
        ({1: 10}, 1.0),
        ({1: 9, 10: 1}, 1.9),
    ],
)
def test_percentile_matches_percentile_cont(hist, expected):
    value = percentile(hist)
    assert (round(value, 6) if value is not None else None) == expected


def test_query_count_does_not_grow_with_months_or_data(province_data, django_assert_num_queries):
    ids, wards = province_data
    scope = Scope(frozenset(ids), frozenset(ids))
    names = ["summary", "by-month", "by-agency", "by-procedure", "by-sector", "indicators"]
    with time_machine.travel(NOW, tick=False):
        refresh()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as quarter:
            build_many(names, scope, PERIODS["quarter 2"])
        generate(wards, list({d.procedure for d in Dossier.objects.select_related("procedure")[:50]}), 300, 7)
        refresh()
        with django_assert_num_queries(len(quarter)):
            build_many(names, scope, PERIODS["year 2025"])


def test_the_nightly_task_is_scheduled_and_builds_the_missing_months(province_data, settings):
    from dossiers.tasks import refresh_stats_rollups

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dossiers.refresh_stats_rollups" in tasks
    with time_machine.travel(NOW, tick=False):
        assert refresh_stats_rollups()["missing_months"] == 15
        assert refresh_stats_rollups()["missing_months"] == 0


def test_tables_keep_only_report_columns_when_read_from_rollups(province_data):
    ids, _ = province_data
    with time_machine.travel(NOW, tick=False):
        refresh()
        tables = build_many(
            ["by-agency", "indicators"], Scope(frozenset(ids), frozenset(ids)), PERIODS["year 2025"]
        )
    assert all("indicator_counts" not in row for row in tables["by-agency"].rows)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_hand_computed_month_read_from_rollups(ward, birth_registration, name):
    from .stats_fixture import NOW as APRIL

    with time_machine.travel(APRIL, tick=False):
        build_fixture(ward, birth_registration)
        refresh()
        assert covered_months({ward.id}, MARCH) == {date(2026, 3, 1)}
        assert aggregate({ward.id}, MARCH, "summary")[0][name] == EXPECTED[name]
