"""The Decision 766 report: every bucket on a hand-computed month, definitions and groupings."""

from datetime import date

import pytest
import time_machine

from dossiers.models import Dossier, Status
from dossiers.reporting import Period, aggregate, bucket_ids, summary
from tests import factories

from .stats_fixture import BUCKET_MEMBERS, EXPECTED, NOW, at, build

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))


@pytest.fixture
def month(ward, birth_registration):
    with time_machine.travel(NOW, tick=False):
        yield build(ward, birth_registration)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_summary_matches_the_hand_computed_figure(month, ward, name):
    assert summary({ward.id}, MARCH)[name] == EXPECTED[name]


def test_every_received_dossier_is_processed_in_progress_withdrawn_or_stopped(month, ward):
    row = summary({ward.id}, MARCH)
    assert row["received"] == row["processed"] + row["in_progress"] + row["withdrawn"] + row["stopped"]
    assert row["received"] == row["received_new"] + row["carried_over"]
    assert row["early"] + row["on_time"] + row["late"] == row["processed"]
    assert row["in_progress_on_time"] + row["in_progress_late"] == row["in_progress"]


def test_a_refusal_at_intake_counts_in_the_period_of_the_refusal_and_in_no_rate(ward, birth_registration):
    refused = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.REFUSED,
        received_at=at("02-27"),
        finished_at=at("03-02", "10:00"),
    )
    Dossier.objects.filter(pk=refused.pk).update(received_at=None, clock_started_at=None)
    february = Period(date(2026, 2, 1), date(2026, 2, 28), date(2026, 4, 10))
    row = summary({ward.id}, MARCH)
    assert (row["refused"], row["received"], row["on_time_rate"]) == (1, 0, None)
    assert summary({ward.id}, february)["refused"] == 0
    assert bucket_ids({ward.id}, MARCH, "refused") == ([refused.id], 1)
    assert bucket_ids({ward.id}, MARCH, "received") == ([], 0)


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.STOPPED])
def test_withdrawn_and_stopped_dossiers_are_not_processed_nor_in_the_rate(ward, birth_registration, status):
    for finished, state in (("03-09", status), ("03-04", Status.RETURNED)):
        factories.dossier(
            procedure=birth_registration,
            agency=ward,
            status=state,
            received_at=at("03-02"),
            due_at=at("03-05", "17:00"),
            finished_at=at(finished),
        )
    row = summary({ward.id}, MARCH)
    assert (row["received"], row["processed"], row[status], row["late"]) == (2, 1, 1, 0)
    assert (row["on_time_rate"], row["avg_days"]) == (100.0, 2.0)


@pytest.mark.parametrize(("bucket", "members"), sorted(BUCKET_MEMBERS.items()))
def test_drill_down_lists_exactly_the_dossiers_of_a_bucket(month, ward, bucket, members):
    ids, total = bucket_ids({ward.id}, MARCH, bucket)
    assert {d.code for d in month.values() if d.id in ids} == {month[m].code for m in members}
    assert total == len(members)


def test_drill_down_puts_overdue_dossiers_first(month, ward):
    ids, _ = bucket_ids({ward.id}, MARCH, "received")
    overdue, _ = bucket_ids({ward.id}, MARCH, "overdue")
    assert set(ids[: len(overdue)]) == set(overdue)


@pytest.mark.parametrize(("counts_as_late", "bucket"), [(True, "late"), (False, "on_time")])
def test_an_apology_finished_on_the_legal_due_date_follows_the_setting(
    settings, ward, birth_registration, counts_as_late, bucket
):
    settings.APOLOGY_COUNTS_AS_LATE = counts_as_late
    factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RETURNED,
        received_at=at("03-02"),
        due_at=at("03-09", "17:00"),
        legal_due_at=at("03-05", "17:00"),
        finished_at=at("03-05", "16:00"),
        apology_count=1,
    )
    row = summary({ward.id}, MARCH)
    assert row[bucket] == 1 and row["processed"] == 1


def test_a_pause_shifts_the_legal_due_date_so_a_dossier_finished_by_it_is_on_time(ward, birth_registration):
    # received 2 March, 3 days, 2 working days paused: legal due moved from 5 to 9 March, finished 9 March.
    factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RETURNED,
        received_at=at("03-02"),
        due_at=at("03-09", "17:00"),
        original_due_at=at("03-05", "17:00"),
        finished_at=at("03-09", "15:00"),
        supplement_count=1,
        paused_working_days=2,
    )
    row = summary({ward.id}, MARCH)
    assert (row["on_time"], row["late"], row["avg_days"]) == (1, 0, 3.0)


def test_grouping_by_agency_procedure_sector_and_month(month, ward, province, birth_registration):
    other_ward = factories.agency(parent=province, name="Phường Thử Hai")
    marriage = factories.procedure(
        name="Đăng ký kết hôn", days=5, sector=factories.sector("chungthuc", "Chứng thực")
    )
    factories.dossier(
        procedure=marriage, agency=other_ward, received_at=at("03-05"), due_at=at("03-12", "17:00")
    )
    ids = {ward.id, other_ward.id}
    by_agency = {r["key"]: r["received"] for r in aggregate(ids, MARCH, "agency")}
    assert by_agency == {ward.id: 12, other_ward.id: 1}
    by_procedure = {r["name"]: r["received"] for r in aggregate(ids, MARCH, "procedure")}
    assert by_procedure == {"Đăng ký khai sinh": 12, "Đăng ký kết hôn": 1}
    by_sector = {r["name"]: r["received"] for r in aggregate(ids, MARCH, "sector")}
    assert by_sector == {"Hộ tịch": 12, "Chứng thực": 1}
    assert [r["received"] for r in aggregate(ids, MARCH, "month")] == [13]


def test_by_month_judges_each_month_at_its_own_end(month, ward):
    feb_mar = Period(date(2026, 2, 1), date(2026, 3, 31), date(2026, 4, 10))
    feb, mar = aggregate({ward.id}, feb_mar, "month")
    # February: carried_over (open at 28 Feb, due 2 March) and finished_before (early).
    assert (feb["name"], feb["received"], feb["early"], feb["in_progress_on_time"]) == ("02/2026", 2, 1, 1)
    assert feb["refused"] == 0  # the refusal of 12 March is March's
    assert mar == {**mar, **EXPECTED}


def test_open_dossiers_are_judged_today_when_the_period_is_not_over(ward, birth_registration):
    factories.dossier(
        procedure=birth_registration, agency=ward, received_at=at("03-20"), due_at=at("03-25", "17:00")
    )
    mid_march = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 24))
    assert summary({ward.id}, mid_march)["in_progress_on_time"] == 1
    assert summary({ward.id}, MARCH)["in_progress_late"] == 1


def test_an_empty_scope_gives_zeros_without_a_rate(db):
    row = summary(set(), MARCH)
    assert (row["received"], row["on_time_rate"], row["avg_days"]) == (0, None, None)
