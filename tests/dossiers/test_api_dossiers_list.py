"""The dossier list: filters, ordering, cursor pagination, and a query count that does not grow with rows."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from dossiers.lifecycle.services import perform
from dossiers.models import Dossier
from tests import factories
from tests.helpers import client_for

from .lifecycle import (
    MONDAY_9AM,
    intake,
    vn,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/"


@pytest.fixture
def queue(clerk, handler, ward, birth_registration):
    """Four dossiers: received Mon 2 Mar (due Thu 5), Tue 3 Mar (due Fri 6, forwarded to the handler),
    received Mon 9 Mar (due Thu 12), and one received Mon 2 Mar then withdrawn."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        early = intake(clerk, ward, birth_registration)
        withdrawn = intake(clerk, ward, birth_registration)
        perform(withdrawn.code, "withdraw", clerk, {"reason": "Rút"})
    with time_machine.travel(vn(2026, 3, 3, 9), tick=False):
        middle = intake(clerk, ward, birth_registration)
        perform(middle.code, "forward", clerk, {})
    with time_machine.travel(vn(2026, 3, 9, 9), tick=False):
        late = intake(clerk, ward, birth_registration)
    return {"early": early, "middle": middle, "late": late, "withdrawn": withdrawn}


# Filters, read on Wednesday 11 March 2026 at 09:00 (early and middle are overdue, late is due tomorrow).
FILTERS = [
    ({}, ["late", "middle", "withdrawn", "early"]),
    ({"status": "withdrawn"}, ["withdrawn"]),
    ({"status": ["received", "processing"]}, ["late", "middle", "early"]),
    ({"overdue": "true"}, ["middle", "early"]),
    ({"overdue": "false"}, ["late", "withdrawn"]),
    ({"due_soon": "true"}, ["late"]),
    ({"received_from": "2026-03-03"}, ["late", "middle"]),
    ({"received_to": "2026-03-02"}, ["withdrawn", "early"]),
    ({"due_before": "2026-03-06"}, ["withdrawn", "early"]),
    ({"assignee": "handler"}, ["middle"]),
    ({"procedure": "1.001193"}, ["late", "middle", "withdrawn", "early"]),
    ({"procedure": "0.000"}, []),
    ({"ordering": "due_at"}, ["withdrawn", "early", "middle", "late"]),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=[str(p) for p, _ in FILTERS])
def test_filters(queue, clerk, handler, ward, params, expected):
    if params.get("assignee") == "handler":
        params = {"assignee": handler.pk}
    with time_machine.travel(vn(2026, 3, 11, 9), tick=False):
        rows = client_for(clerk).get(URL, params).json()["results"]
    codes = {d.code: name for name, d in queue.items()}
    assert [codes[r["code"]] for r in rows] == expected


def test_status_filter_reads_rows_without_distinct(queue, clerk):
    """Several statuses select distinct rows by themselves; DISTINCT would sort the whole match first."""
    with CaptureQueriesContext(connection) as captured:
        rows = client_for(clerk).get(URL, {"status": ["received", "processing"]}).json()["results"]
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "dossiers_dossier"' in q["sql"]]
    assert listing and not any("DISTINCT" in sql for sql in listing)
    assert len(rows) == len({r["code"] for r in rows}) == 3


def test_filter_by_agency_and_assignee_me(queue, clerk, handler, ward, province, birth_registration):
    rows = client_for(handler).get(URL, {"assignee": "me"}).json()["results"]
    assert [r["code"] for r in rows] == [queue["middle"].code]
    assert len(client_for(clerk).get(URL, {"agency": ward.pk}).json()["results"]) == 4
    assert client_for(clerk).get(URL, {"agency": province.pk}).json()["results"] == []


def test_cursor_pagination_walks_every_row_once(clerk, ward, birth_registration):
    codes = {intake(clerk, ward, birth_registration).code for _ in range(5)}
    client, seen, url = client_for(clerk), [], URL + "?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [r["code"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(codes) and len(seen) == 5


def make_rows(n, ward, clerk, other_clerks, procedures):
    for i in range(n):
        d = intake(other_clerks[i % len(other_clerks)], ward, procedures[i % len(procedures)])
        if i % 3 == 1:
            perform(d.code, "forward", other_clerks[i % len(other_clerks)], {})


@pytest.mark.parametrize("params", [{}, {"status": "processing"}, {"overdue": "true"}, {"assignee": "me"}])
def test_list_query_count_does_not_grow_with_rows(
    clerk, handler, ward, birth_registration, params, django_assert_num_queries
):
    clerks = [clerk, factories.user(role=Role.CLERK, agency=ward)]
    procedures = [birth_registration, factories.procedure(name="Đăng ký kết hôn")]
    client = client_for(handler)
    make_rows(3, ward, clerk, clerks, procedures)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, params).status_code == 200
    make_rows(27, ward, clerk, clerks, procedures)
    assert Dossier.objects.count() == 30
    client = client_for(handler)  # a fresh request user, as in production
    with django_assert_num_queries(len(small)):
        response = client.get(URL, params)
    assert response.status_code == 200
