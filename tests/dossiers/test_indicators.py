"""Service indicators of Decision 766, the score out of 100 and the ranking of wards."""

from datetime import date

import pytest

from accounts.models import Agency
from dossiers.models import Channel, Dossier, Status
from dossiers.reporting import Period
from dossiers.reporting.indicators import grade, indicators, ranking, score
from procedures.models import Procedure
from tests import factories

from .stats_fixture import at

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))
PERFECT = {
    "online_procedures_rate": 80,
    "on_time_rate": 100,
    "online_filing_rate": 50,
    "online_payment_rate": 50,
    "digitisation_rate": 80,
    "reuse_rate": 80,
    "e_result_rate": 80,
    "satisfaction_rate": 90,
}


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        (PERFECT, 100.0),
        ({k: 100 for k in PERFECT}, 100.0),
        ({k: 0 for k in PERFECT}, 0.0),
        ({**PERFECT, "satisfaction_rate": None}, 100.0),  # no ratings: scaled to the 82 measurable points
        ({**PERFECT, "satisfaction_rate": 45}, 91.0),  # 18 * 45/90 = 9 points lost
        ({**PERFECT, "online_filing_rate": 25}, 93.0),  # 14 * 25/50 = 7 points lost
        ({k: None for k in PERFECT}, None),
    ],
)
def test_score_gives_full_points_at_the_threshold_and_pro_rata_below(rates, expected):
    assert score(rates)[0] == expected


def test_score_reports_the_points_of_each_group():
    _, groups = score(PERFECT)
    assert groups == {"publicity": 18, "progress": 20, "online": 22, "digitisation": 22, "satisfaction": 18}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, "excellent"), (90, "excellent"), (89.99, "fair"), (50, "fair"), (49.99, "weak"), (None, "")],
)
def test_grade(value, expected):
    assert grade(value) == expected


@pytest.fixture
def ward_march(ward, birth_registration):
    factories.procedure(name="Cấp giấy phép xây dựng", online_level=Procedure.OnlineLevel.NONE)
    rows = [
        # channel, received, due, resolved, digitised, reuses, e-result, paid online?, satisfaction
        (Channel.ONLINE, "03-02", "03-05", "03-04", True, True, "done", True, "very_satisfied"),
        (Channel.COUNTER, "03-03", "03-05", "03-05", True, False, "failed", False, "dissatisfied"),
        (Channel.ONLINE, "03-20", "03-25", None, True, False, "", None, ""),
        (Channel.COUNTER, "03-25", "04-01", None, False, False, "", None, ""),
    ]
    for channel, received, due, resolved, digitised, reuses, e_result, paid_online, satisfaction in rows:
        done = resolved is not None
        factories.dossier(
            procedure=birth_registration,
            agency=ward,
            channel=channel,
            received_at=at(received),
            due_at=at(due, "17:00"),
            status=Status.RETURNED if done else Status.PROCESSING,
            resolved_at=at(resolved, "10:00") if done else None,
            finished_at=at(resolved, "10:00") if done else None,
            is_digitised=digitised,
            reuses_data=reuses,
            e_result_status=e_result,
            satisfaction=satisfaction,
            paid_at=at(received, "10:00") if paid_online is not None else None,
            paid_online=bool(paid_online),
        )
    return ward


EXPECTED_RATES = {
    "received": 4,
    "online_filing_rate": 50.0,
    "online_procedures_rate": 50.0,
    "procedures_offered": 2,
    "procedures_partial": 1,
    "procedures_full": 0,
    "e_result_rate": 50.0,
    "digitisation_rate": 75.0,
    "reuse_rate": 25.0,
    "online_payment_rate": 50.0,
    "satisfaction_rate": 50.0,
    "on_time_rate": 75.0,
    # 18*50/80 + 20*.75 + 14 + 8 + 8*75/80 + 7*25/80 + 7*50/80 + 18*50/90 = 72.3125
    "score": 72.31,
    "grade": "fair",
}


@pytest.mark.parametrize("name", list(EXPECTED_RATES))
def test_indicators_of_a_ward(ward_march, name):
    (row,) = indicators({ward_march.id}, MARCH)
    assert row[name] == EXPECTED_RATES[name]


def test_procedures_assigned_to_the_province_are_offered_by_each_of_its_wards(ward, province):
    p = factories.procedure(name="Chứng thực chữ ký", online_level=Procedure.OnlineLevel.FULL)
    p.agencies.add(province)
    elsewhere = factories.procedure(name="Thủ tục nơi khác", online_level=Procedure.OnlineLevel.FULL)
    elsewhere.agencies.add(factories.agency(name="Tỉnh Khác"))
    (row,) = indicators({ward.id}, MARCH)
    assert (row["procedures_offered"], row["procedures_full"], row["online_procedures_rate"]) == (1, 1, 100.0)


def test_ranking_orders_the_wards_of_a_province_by_score(ward_march, province):
    weak = factories.agency(parent=province, name="Phường Chậm")
    factories.dossier(
        procedure=Procedure.objects.get(name="Đăng ký khai sinh"),
        agency=weak,
        received_at=at("03-02"),
        due_at=at("03-05", "17:00"),
    )
    scope = {province.id, ward_march.id, weak.id}
    rows = ranking(scope, MARCH)
    assert [(r["rank"], r["name"]) for r in rows] == [(1, ward_march.name), (2, weak.name)]
    assert all(r["level"] == Agency.Level.COMMUNE for r in rows)


def test_a_ward_without_dossiers_has_no_rate_nor_score_and_ranks_after_every_ward_with_work(
    ward_march, province
):
    quiet = factories.agency(parent=province, name="Phường Yên Tĩnh", code="000.00.00.A00")  # first by code
    slow = factories.agency(parent=province, name="Phường Chậm")
    factories.dossier(  # open and late at the end of March: on-time rate 0
        procedure=Procedure.objects.get(name="Đăng ký khai sinh"),
        agency=slow,
        received_at=at("03-02"),
        due_at=at("03-05", "17:00"),
    )
    rows = ranking({province.id, ward_march.id, quiet.id, slow.id}, MARCH)
    assert [r["name"] for r in rows] == [ward_march.name, slow.name, quiet.name]
    last = rows[-1]
    assert (last["rank"], last["score"], last["on_time_rate"]) == (None, None, None)
    assert last["no_dossiers"]
    assert last["grade_label"] == "Không có hồ sơ"
    assert last["online_procedures_rate"] == 50.0  # what the catalogue says is still shown
    assert Dossier.objects.count() == 5


def test_an_agency_with_nothing_to_show_has_no_row(ward_march, province):
    from procedures.models import Procedure as P

    P.objects.update(active=False)  # no procedure offered: no rate of any kind for a ward without dossiers
    quiet = factories.agency(parent=province, name="Phường Yên Tĩnh")
    assert [r["key"] for r in indicators({ward_march.id, quiet.id}, MARCH)] == [ward_march.id]


def test_the_satisfaction_indicator_counts_the_top_two_of_five_levels(ward, birth_registration):
    for level in Dossier.Satisfaction.values:  # one returned dossier rated at each level, one unrated
        factories.dossier(
            procedure=birth_registration,
            agency=ward,
            received_at=at("03-02"),
            due_at=at("03-05", "17:00"),
            status=Status.RETURNED,
            resolved_at=at("03-04", "10:00"),
            finished_at=at("03-04", "10:00"),
            satisfaction=level,
        )
    assert Dossier.Satisfaction.labels == [
        "Rất hài lòng",
        "Hài lòng",
        "Bình thường",
        "Không hài lòng",
        "Rất không hài lòng",
    ]
    (row,) = indicators({ward.id}, MARCH)
    assert row["satisfaction_rate"] == 40.0  # 2 satisfied of 5 rated
