"""Monthly rollups: the report read from them equals the raw recount for any period, stays exact when a closed
month changes, and reconcile_stats proves it."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command

from dossiers.lifecycle.events import record_event
from dossiers.models import Dossier, StatsMonth, StatsRollup, Status
from dossiers.reporting import aggregate
from dossiers.reporting.combine import percentile
from dossiers.reporting.coverage import covered_months
from dossiers.reporting.rollup import refresh
from dossiers.reporting.scope import Scope
from dossiers.reporting.tables import build_many

from .rollup_data import MARCH, NOW, PERIODS, TZ, generate, report
from .stats_fixture import EXPECTED
from .stats_fixture import build as build_fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(PERIODS))
def test_the_rollup_path_equals_the_raw_path(province_data, name):
    ids, wards = province_data
    period = PERIODS[name]
    with time_machine.travel(NOW, tick=False):
        raw = report(ids, period)
        refresh()
        assert covered_months(ids, period)  # the second report really reads rollups
        rolled = report(ids, period)
        assert rolled == raw
        one_ward = {wards[0].id}
        assert aggregate(one_ward, period, "summary") == raw_of(one_ward, period)


@pytest.mark.parametrize("name", list(PERIODS))
def test_every_row_on_both_paths_keeps_the_identity_and_shows_every_line(province_data, name):
    ids, _ = province_data
    period = PERIODS[name]
    with time_machine.travel(NOW, tick=False):
        raw = report(ids, period)
        refresh()
        rolled = report(ids, period)
    for result in (raw, rolled):
        for by in ("summary", "agency", "procedure", "sector", "month"):
            for row in result[by]:
                assert row["received"] == (
                    row["processed"] + row["in_progress"] + row["withdrawn"] + row["stopped"]
                ), (by, row["key"])
                assert row["processed"] == row["early"] + row["on_time"] + row["late"]
        (total,) = result["summary"]
        assert all(total[line] for line in ("refused", "withdrawn", "stopped", "processed", "in_progress"))
        for by in ("agency", "procedure", "sector"):  # every dossier has one of each: rows add up
            for line in ("received", "processed", "refused", "withdrawn", "stopped", "overdue"):
                assert sum(r[line] for r in result[by]) == total[line], (by, line)


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
        # Judged at 31 December, December's row (judged at its last day) serves too.
        assert covered_months(ids, PERIODS["year judged in December"]) == {
            date(2025, m, 1) for m in range(1, 13)
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


def test_build_command_builds_every_closed_month_and_the_current_one(province_data):
    with time_machine.travel(NOW, tick=False):
        call_command("build_stats_rollups")
        assert StatsMonth.objects.filter(dirty=False).values("month").distinct().count() == 16
        assert StatsMonth.objects.filter(month=date(2026, 2, 1), judged_on=NOW.date()).exists()


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
