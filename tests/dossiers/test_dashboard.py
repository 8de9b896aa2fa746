"""The supervisor dashboard: numbers, scoping, period errors, drill-down and constant query counts."""

import re
from html import unescape

import pytest
import time_machine

from accounts.models import Role
from dossiers.models import Status
from tests import factories
from tests.dossiers.test_forms_pdf import pdf_text

from .stats_fixture import NOW, PERIOD, at, build

pytestmark = pytest.mark.django_db
REPORT_LINE = "Tiếp nhận 12 = đã giải quyết 6 + đang giải quyết 4 + rút 1 + dừng 1"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def month(ward, birth_registration):
    return build(ward, birth_registration)


@pytest.fixture
def other_ward(province, birth_registration):
    w = factories.agency(parent=province, name="Phường Thử Hai")
    factories.dossier(
        procedure=birth_registration, agency=w, received_at=at("03-05"), due_at=at("03-06", "17:00")
    )
    return w


@pytest.fixture
def province_supervisor(province):
    return factories.user(role=Role.SUPERVISOR, agency=province, username="province-supervisor")


def test_dashboard_shows_the_ward_report_in_the_form_wards_use(client, supervisor, month):
    client.force_login(supervisor)
    response = client.get("/dashboard/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert REPORT_LINE in html
    assert "<svg" in html and "40,0%" in html  # the card, in Vietnamese number format
    assert (
        f"/registers/form-07.pdf?agency={supervisor.memberships.get().agency_id}&amp;from=2026-03-01" in html
    )


def links_to_the_register(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/registers/form-07\.(?:pdf|xlsx)\?[^"]*)"', html)]


@pytest.mark.parametrize("narrowed", [False, True])
def test_the_register_links_on_the_dashboard_print_mau_07_for_the_period(
    client, province_supervisor, month, ward, narrowed
):
    client.force_login(province_supervisor)
    params = {**PERIOD, "agency": ward.id} if narrowed else PERIOD
    links = links_to_the_register(client.get("/dashboard/", params).content.decode())
    assert len(links) == 2
    expected_agency = ward.id if narrowed else province_supervisor.memberships.get().agency_id
    assert f"agency={expected_agency}&from=2026-03-01&to=2026-03-31" in links[0]
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
    pdf = client.get(links[0])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "Mẫu số 07" in pdf_text(pdf.content) and "SỔ THEO DÕI HỒ SƠ" in pdf_text(pdf.content)


def test_a_ward_supervisor_sees_only_his_ward(client, supervisor, month, other_ward):
    client.force_login(supervisor)
    html = client.get("/dashboard/", PERIOD).content.decode()
    assert REPORT_LINE in html and other_ward.name not in html
    assert client.get("/dashboard/", {**PERIOD, "agency": other_ward.id}).status_code == 403
    assert client.get("/dashboard/dossiers/", {**PERIOD, "agency": other_ward.id}).status_code == 403


def test_a_province_supervisor_sees_every_ward_of_the_province(
    client, province_supervisor, month, other_ward, ward
):
    client.force_login(province_supervisor)
    html = client.get("/dashboard/", PERIOD).content.decode()
    assert "Tiếp nhận 13 = " in html and other_ward.name in html and ward.name in html
    narrowed = client.get("/dashboard/", {**PERIOD, "agency": ward.id}).content.decode()
    assert REPORT_LINE in narrowed


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, Role.LEADER])
def test_staff_without_the_supervisor_role_may_not_read_the_dashboard(client, ward, role):
    client.force_login(factories.user(role=role, agency=ward))
    assert client.get("/dashboard/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-04-01", "to": "2026-03-01"}, "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."),
        ({"from": "01/03/2026", "to": "2026-03-31"}, "Ngày không hợp lệ"),
        ({"from": "2020-01-01", "to": "2026-03-31"}, "không được dài quá 5 năm"),
        ({"preset": "decade"}, "Chọn tháng, quý hoặc năm."),
    ],
)
def test_a_bad_period_is_a_400_page_with_the_reason(client, supervisor, params, message):
    client.force_login(supervisor)
    response = client.get("/dashboard/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("preset", ["month", "quarter", "year"])
def test_presets_cover_this_month_quarter_and_year(client, supervisor, month, preset):
    client.force_login(supervisor)
    assert client.get("/dashboard/", {"preset": preset}).status_code == 200


def test_the_default_period_is_this_month(client, supervisor):
    client.force_login(supervisor)
    html = client.get("/dashboard/").content.decode()
    assert 'value="2026-04-01"' in html and 'value="2026-04-30"' in html


def test_drill_down_lists_the_dossiers_of_a_cell_overdue_first(client, supervisor, month, ward):
    client.force_login(supervisor)
    html = client.get(
        "/dashboard/dossiers/", {**PERIOD, "bucket": "in_progress", "agency": ward.id}
    ).content.decode()
    codes = re.findall(r"<td>([^<]+-\d{6}-\d{4})</td>", html)
    late = {month["open_late"].code, month["finished_after"].code}
    assert set(codes[:2]) == late
    assert set(codes) == late | {month["open_on_time"].code, month["paused"].code}


def test_the_dashboard_links_each_count_to_its_dossiers(client, supervisor, month, ward):
    client.force_login(supervisor)
    html = client.get("/dashboard/", PERIOD).content.decode()
    assert (
        f"/dashboard/dossiers/?from=2026-03-01&amp;to=2026-03-31&amp;bucket=late&amp;agency={ward.id}" in html
    )


def test_drill_down_rejects_an_unknown_bucket(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/dashboard/dossiers/", {"bucket": "everything"}).status_code == 400


def _grow(province, procedure_count: int, dossiers_per_ward: int):
    for _ in range(2):
        ward = factories.agency(parent=province)
        for p in range(procedure_count):
            proc = factories.procedure(name=f"Thủ tục {p}", sector=factories.sector(f"s{p}", f"Lĩnh vực {p}"))
            for i in range(dossiers_per_ward):
                factories.dossier(
                    procedure=proc,
                    agency=ward,
                    received_at=at("03-02"),
                    due_at=at("03-05", "17:00"),
                    status=Status.RETURNED if i % 2 else Status.PROCESSING,
                    finished_at=at("03-04") if i % 2 else None,
                )


@pytest.mark.parametrize(
    "url", ["/dashboard/", "/dashboard/dossiers/", "/dashboard/by-procedure/", "/dashboard/ranking/"]
)
def test_query_count_does_not_grow_with_the_data(
    client, province, province_supervisor, django_assert_num_queries, url
):
    client.force_login(province_supervisor)
    _grow(province, 1, 2)
    client.get(url, PERIOD)  # warm the session and the calendar
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, PERIOD).status_code == 200
    _grow(province, 3, 6)
    with django_assert_num_queries(len(small)):
        assert client.get(url, PERIOD).status_code == 200
