"""The supervisor's queue report, from tickets driven through the services at known moments: the figures
are computed from those moments, never typed in; scoped to the supervised agencies; CSV; the API."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import Role
from dossiers.queueing import services
from tests import factories
from tests.helpers import client_for, vn

from .queue import hall

pytestmark = pytest.mark.django_db

DAY = vn(2026, 3, 2, 8, 0)
NEXT_DAY = vn(2026, 3, 3, 8, 0)
# (area, issued after opening, called after issue, service start after call or None, served, or "no_show")
VISITS = [
    ("civil", 0, 10, 2, 15),
    ("civil", 1, 20, None, 5),  # finished straight from called: service counted from the call
    ("certify", 2, 30, None, "no_show"),
]


def drive(queue, clerk, opening, visits):
    """Issue every ticket, then call, start and finish them in order at counter one."""
    expected_wait, expected_service = [], []
    issued = [
        services.issue_ticket(getattr(queue, area), at=opening + timedelta(minutes=m))
        for area, m, *_ in visits
    ]
    for ticket, (_area, _m, wait, start, served) in zip(issued, visits, strict=True):
        called_at = ticket.issued_at + timedelta(minutes=wait)
        services.call_next(queue.one, clerk, at=called_at)
        expected_wait.append(wait)
        if served == "no_show":
            services.mark_no_show(queue.one, clerk, at=called_at + timedelta(minutes=3))
            continue
        began = called_at
        if start is not None:
            began = called_at + timedelta(minutes=start)
            services.start_service(queue.one, clerk, at=began)
        services.finish(queue.one, clerk, at=began + timedelta(minutes=served))
        expected_service.append(served)
    return expected_wait, expected_service


@pytest.fixture
def queue(ward):
    return hall(ward)


@pytest.fixture
def day_figures(queue, clerk):
    """The visits drawn in order at counter one; the wait each one had and the service of those served."""
    wait, service = drive(queue, clerk, DAY, VISITS)
    # a ticket left waiting at the end of the day: issued, never called
    services.issue_ticket(queue.civil, at=DAY + timedelta(hours=8))
    return wait, service


def _avg(values):
    return round(sum(values) / len(values), 1)


def test_figures_per_counter_and_day_come_from_the_recorded_times(day_figures, supervisor, queue):
    wait, service = day_figures
    body = (
        client_for(supervisor)
        .get("/api/v1/tickets/report", {"from": "2026-03-01", "to": "2026-03-31"})
        .json()
    )
    [row] = body["rows"]
    assert row["day"] == "2026-03-02" and row["counter"] == "Quầy 1"
    assert (row["called"], row["served"], row["no_show"]) == (3, 2, 1)
    assert row["avg_wait_min"] == _avg(wait)
    assert row["avg_service_min"] == _avg(service)


def test_the_day_table_counts_every_issued_ticket(day_figures, supervisor):
    body = (
        client_for(supervisor)
        .get("/api/v1/tickets/report", {"from": "2026-03-01", "to": "2026-03-31", "table": "day"})
        .json()
    )
    [row] = body["rows"]
    assert (row["issued"], row["called"], row["served"], row["no_show"]) == (4, 3, 2, 1)


def test_each_day_and_counter_is_its_own_row(queue, clerk, supervisor):
    drive(queue, clerk, DAY, VISITS[:1])
    drive(queue, clerk, NEXT_DAY, VISITS[1:2])
    rows = (
        client_for(supervisor)
        .get("/api/v1/tickets/report", {"from": "2026-03-01", "to": "2026-03-31"})
        .json()["rows"]
    )
    assert [(r["day"], r["served"], r["avg_wait_min"]) for r in rows] == [
        ("2026-03-02", 1, 10.0),
        ("2026-03-03", 1, 20.0),
    ]


def test_the_supervisor_sees_only_the_agencies_supervised(day_figures, province, supervisor):
    other = factories.agency(parent=province)
    other_queue = hall(other)
    other_clerk = factories.user(role=Role.CLERK, agency=other)
    drive(other_queue, other_clerk, DAY, VISITS)
    ward_rows = (
        client_for(supervisor)
        .get("/api/v1/tickets/report", {"from": "2026-03-01", "to": "2026-03-31"})
        .json()["rows"]
    )
    assert len(ward_rows) == 1
    province_supervisor = factories.user(role=Role.SUPERVISOR, agency=province)
    rows = (
        client_for(province_supervisor)
        .get("/api/v1/tickets/report", {"from": "2026-03-01", "to": "2026-03-31"})
        .json()["rows"]
    )
    assert len(rows) == 2


@pytest.mark.parametrize("role", [Role.CLERK, Role.HANDLER, Role.LEADER])
def test_staff_who_do_not_supervise_may_not_read_it(ward, role):
    user = factories.user(role=role, agency=ward)
    assert client_for(user).get("/api/v1/tickets/report").status_code == 403
    client = Client()
    client.force_login(user)
    assert client.get("/dashboard/so-thu-tu/").status_code == 403


def test_the_page_and_its_csv_show_the_same_figures(day_figures, supervisor):
    wait, _service = day_figures
    client = Client()
    client.force_login(supervisor)
    page = client.get("/dashboard/so-thu-tu/", {"from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert f"<td>{_avg(wait):.1f}</td>".replace(".", ",") in page.content.decode()  # Vietnamese decimal comma
    download = client.get(
        "/dashboard/so-thu-tu/", {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Ngày", "Cơ quan", "Quầy"]
    assert rows[1][3:6] == ["3", "2", "1"] and float(rows[1][6]) == _avg(wait)


def test_a_bad_format_is_a_clear_error(supervisor):
    client = Client()
    client.force_login(supervisor)
    response = client.get("/dashboard/so-thu-tu/", {"format": "pdf"})
    assert response.status_code == 400 and "Định dạng hoặc bảng không hỗ trợ" in response.content.decode()


def test_the_report_page_costs_a_fixed_number_of_queries(queue, clerk, supervisor, django_assert_num_queries):
    client = Client()
    client.force_login(supervisor)
    params = {"from": "2026-03-01", "to": "2026-03-31"}
    drive(queue, clerk, DAY, VISITS)
    client.get("/dashboard/so-thu-tu/", params)
    with django_assert_num_queries(9) as few:
        client.get("/dashboard/so-thu-tu/", params)
    for _ in range(3):
        drive(queue, clerk, NEXT_DAY, VISITS)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/dashboard/so-thu-tu/", params)


def test_issuing_and_calling_through_the_api(queue, clerk):
    api = client_for(clerk)
    issued = api.post("/api/v1/tickets/", {"area": queue.civil.pk}, format="json")
    assert issued.status_code == 201, issued.json()
    assert issued.json()["label"] == "A-001" and "/so-thu-tu/" in issued.json()["status_url"]
    called = api.post(f"/api/v1/counters/{queue.one.pk}/call-next")
    assert called.status_code == 200 and called.json()["counter"] == "Quầy 1"
    again = api.post(f"/api/v1/counters/{queue.one.pk}/call-next")
    assert again.status_code == 409 and again.json()["error"]["code"] == "counter_busy"


def test_the_api_refuses_another_agencys_counter_and_area(queue, province):
    stranger = factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    api = client_for(stranger)
    assert api.post("/api/v1/tickets/", {"area": queue.civil.pk}, format="json").status_code == 403
    assert api.post(f"/api/v1/counters/{queue.one.pk}/call-next").status_code == 404
