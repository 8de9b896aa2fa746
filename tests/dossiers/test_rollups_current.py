"""The current month's rollups, judged at today: read when fresh, mixed per agency with raw counts when a
change made one stale, rebuilt by the task every minute (all agencies once the date moves on), never losing
a change that commits while a rebuild counts."""

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dossiers.lifecycle.events import record_event
from dossiers.models import Dossier, StatsMonth, Status
from dossiers.reporting import Period, aggregate
from dossiers.reporting.coverage import coverage, covered_months
from dossiers.reporting.marks import mark_dirty
from dossiers.reporting.rollup import build_current, refresh, refresh_current
from tests import factories

from .rollup_data import NOW, PERIODS, TODAY, TZ, report

FEBRUARY = date(2026, 2, 1)
CURRENT = {
    "this year": PERIODS["this year (January closed, February open)"],
    "this month": Period(FEBRUARY, date(2026, 2, 28), TODAY),
    "the 1st to today": Period(FEBRUARY, TODAY, TODAY),
    "twelve months to today": Period(date(2025, 2, 11), TODAY, TODAY),
    "this quarter": Period(date(2026, 1, 1), date(2026, 3, 31), TODAY),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CURRENT))
def test_the_current_month_is_read_from_its_rollups_once_built(province_data, name):
    ids, _ = province_data
    period = CURRENT[name]
    with time_machine.travel(NOW, tick=False):
        raw = report(ids, period)
        refresh()
        build_current()
        assert FEBRUARY in covered_months(ids, period.clipped())
        assert report(ids, period) == raw


@pytest.mark.django_db
def test_the_trend_stops_at_the_current_month(province_data):
    ids, _ = province_data
    with time_machine.travel(NOW, tick=False):
        raw = [r["key"] for r in aggregate(ids, CURRENT["this year"], "month")]
        refresh()
        build_current()
        rolled = [r["key"] for r in aggregate(ids, CURRENT["this year"], "month")]
    assert raw == rolled == ["2026-01", "2026-02"]


def _touch(dossier: Dossier, **changes) -> None:
    """A change through the audit log, as the services make it."""
    Dossier.objects.filter(pk=dossier.pk).update(**changes)
    record_event(Dossier.objects.get(pk=dossier.pk), "note", note="Điều chỉnh")


@pytest.fixture
def built(province_data):
    """The generated province with its closed months and current month built, at NOW."""
    with time_machine.travel(NOW, tick=False):
        refresh()
        build_current()
        yield province_data


@pytest.mark.django_db
def test_a_change_makes_only_its_agency_stale_and_the_report_mixes_rollups_with_raw(built):
    ids, wards = built
    period = CURRENT["this year"]
    with time_machine.travel(NOW, tick=False):
        dossier = Dossier.objects.filter(
            competent_agency=wards[0],
            status=Status.PROCESSING,
            received_at__gte=datetime(2026, 2, 1, tzinfo=TZ),
        ).first()
        _touch(dossier, status=Status.WITHDRAWN, finished_at=NOW)
        assert coverage(ids, period.clipped())[FEBRUARY] == frozenset(ids) - {wards[0].id}
        assert report(ids, period) == raw_of_all(ids, period)
        assert refresh_current() == {"agencies": 1, "rows": StatsMonthRows(wards[0].id)}
        assert coverage(ids, period.clipped())[FEBRUARY] == frozenset(ids)
        assert refresh_current() == {"agencies": 0, "rows": 0}
        call_command("reconcile_stats")


def StatsMonthRows(agency_id: int) -> int:
    from dossiers.models import StatsRollup

    return StatsRollup.objects.filter(agency_id=agency_id, month=FEBRUARY).count()


def _raw(compute):
    """The same report read from raw dossiers only (every month marked dirty meanwhile, then as it was)."""
    clean = list(StatsMonth.objects.filter(dirty=False).values_list("id", flat=True))
    StatsMonth.objects.update(dirty=True)
    try:
        return compute()
    finally:
        StatsMonth.objects.filter(id__in=clean).update(dirty=False)


def raw_of_all(ids, period) -> dict:
    return _raw(lambda: report(ids, period))


@pytest.mark.django_db
def test_the_next_day_every_agency_is_rebuilt_once(province_data):
    ids, _ = province_data
    with time_machine.travel(NOW, tick=False):
        refresh()
        assert refresh_current()["agencies"] >= len(
            ids
        )  # every agency of the country, built for the first time
        assert refresh_current()["agencies"] == 0
    tomorrow = NOW + timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        period = Period(FEBRUARY, date(2026, 2, 28), tomorrow.date())
        assert coverage(ids, period) == {}  # judged yesterday: not used today
        assert refresh_current()["agencies"] >= len(ids)
        assert covered_months(ids, period) == {FEBRUARY}
        assert aggregate(ids, period, "agency") == _raw(lambda: aggregate(ids, period, "agency"))


@pytest.mark.django_db
def test_marking_is_one_statement_and_a_clean_month_turns_dirty(province_data, django_assert_num_queries):
    _ids, wards = province_data
    with time_machine.travel(NOW, tick=False):
        build_current([wards[0].id])
        dossier = factories.dossier(procedure=factories.procedure(), agency=wards[0], received_at=NOW)
        with django_assert_num_queries(1):
            assert mark_dirty(dossier) == 1
        assert StatsMonth.objects.get(agency=wards[0], month=FEBRUARY).dirty
        with django_assert_num_queries(1):
            mark_dirty(dossier)  # already dirty: the row is not written again
        draft = factories.dossier(procedure=dossier.procedure, agency=wards[0], status=Status.DRAFT)
        with django_assert_num_queries(0):
            assert mark_dirty(draft) == 0


@pytest.mark.django_db
def test_a_refusal_at_intake_marks_the_month_of_the_refusal(province_data):
    _ids, wards = province_data
    with time_machine.travel(NOW, tick=False):
        build_current([wards[0].id])
        refused = factories.dossier(
            procedure=factories.procedure(), agency=wards[0], status=Status.REFUSED, finished_at=NOW
        )
        Dossier.objects.filter(pk=refused.pk).update(received_at=None, clock_started_at=None)
        assert mark_dirty(Dossier.objects.get(pk=refused.pk)) == 1
        assert StatsMonth.objects.get(agency=wards[0], month=FEBRUARY).dirty
        month = Period(FEBRUARY, date(2026, 2, 28), TODAY)
        counted = aggregate({wards[0].id}, month, "summary")[0]["refused"]  # read raw: the month is stale
        build_current([wards[0].id])
        assert aggregate({wards[0].id}, month, "summary")[0]["refused"] == counted
        call_command("reconcile_stats")


@pytest.mark.django_db
def test_the_current_month_task_is_scheduled(settings):
    from dossiers.tasks import refresh_current_stats

    entries = {e["task"]: e for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["dossiers.refresh_current_stats"]["schedule"] <= 300
    assert refresh_current_stats()["agencies"] >= 0


@pytest.mark.django_db
def test_the_report_reads_the_same_number_of_queries_with_one_stale_agency(built):
    ids, wards = built
    period = CURRENT["this year"]
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as fresh:
            aggregate(ids, period, "agency")
        dossier = Dossier.objects.filter(
            competent_agency=wards[1], received_at__gte=datetime(2026, 2, 1, tzinfo=TZ)
        ).first()
        _touch(dossier, apology_count=1)
        with CaptureQueriesContext(connection) as mixed:
            aggregate(ids, period, "agency")

    def raw_counts(captured):
        return [q["sql"] for q in captured.captured_queries if "FROM dossiers_dossier d" in q["sql"]]

    assert raw_counts(fresh) == []
    (raw,) = raw_counts(mixed)  # one raw count, of the stale agency alone
    assert f"ARRAY[{wards[1].id}]" in raw.replace("'{", "ARRAY[").replace("}'", "]")


@pytest.mark.django_db(transaction=True)
def test_a_change_committing_while_a_rebuild_counts_is_not_lost(flushable_event_log, province):
    """The change holds its agency's shared lock until commit; the rebuild waits for it, then counts it."""
    ward = factories.agency(parent=province)
    procedure = factories.procedure(days=5)
    with time_machine.travel(NOW, tick=False):
        dossiers = [factories.dossier(procedure=procedure, agency=ward, received_at=NOW) for _ in range(3)]
        build_current([ward.id])
        marked, release, results = threading.Event(), threading.Event(), {}

        def change():
            try:
                with transaction.atomic():
                    _touch(dossiers[0], status=Status.WITHDRAWN, finished_at=NOW)
                    marked.set()
                    release.wait(10)
            finally:
                connection.close()

        def rebuild():
            try:
                results["rows"] = build_current([ward.id])
            finally:
                connection.close()

        writer = threading.Thread(target=change)
        writer.start()
        assert marked.wait(10)
        builder = threading.Thread(target=rebuild)
        builder.start()
        builder.join(1.0)
        assert builder.is_alive()  # waiting for the change to commit
        release.set()
        writer.join(10)
        builder.join(10)
        assert results["rows"] == 1
        month = Period(FEBRUARY, date(2026, 2, 28), TODAY)
        assert covered_months({ward.id}, month) == {FEBRUARY}
        assert aggregate({ward.id}, month, "summary")[0]["withdrawn"] == 1
        call_command("reconcile_stats")
