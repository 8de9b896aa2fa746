"""Statistics API: same numbers as the dashboard, scoped, bilingual 400 on a bad period, documented."""

import pytest
import time_machine

from accounts.models import Role
from tests import factories

from .stats_fixture import EXPECTED, NOW, PERIOD, build

pytestmark = pytest.mark.django_db
ENDPOINTS = ["summary", "by-agency", "by-procedure", "by-sector", "by-month", "indicators", "ranking"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def month(ward, birth_registration):
    return build(ward, birth_registration)


@pytest.fixture
def api(client, supervisor):
    client.force_login(supervisor)
    return client


def test_summary_returns_the_report(api, month):
    body = api.get("/api/v1/stats/summary", PERIOD).json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    (row,) = body["rows"]
    assert {k: row[k] for k in EXPECTED} == EXPECTED


def test_the_api_gives_the_numbers_the_dashboard_shows(api, month):
    row = api.get("/api/v1/stats/summary", PERIOD).json()["rows"][0]
    html = api.get("/dashboard/", PERIOD).content.decode()
    line = (
        f"Tiếp nhận {row['received']} = đã giải quyết {row['processed']} + "
        f"đang giải quyết {row['in_progress']} + rút {row['withdrawn']} + dừng {row['stopped']}"
    )
    assert line in html


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_answers_with_columns_and_rows(api, month, endpoint):
    response = api.get(f"/api/v1/stats/{endpoint}", PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert body["table"] == endpoint and body["rows"] and body["columns"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-04-01", "to": "2026-03-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "to"),
    ],
)
def test_a_bad_period_is_a_bilingual_400(api, params, field):
    response = api.get("/api/v1/stats/by-agency", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_period" and error["message"] and error["message_en"]
    assert field in error["fields"]


def test_a_ward_supervisor_may_not_ask_for_another_ward(api, province):
    other = factories.agency(parent=province)
    response = api.get("/api/v1/stats/summary", {"agency": other.id})
    assert response.status_code == 403
    assert response.json()["error"]["message_en"]


def test_a_clerk_may_not_read_statistics(client, ward):
    client.force_login(factories.user(role=Role.CLERK, agency=ward))
    assert client.get("/api/v1/stats/summary").status_code == 403


def test_anonymous_requests_are_refused(client):
    assert client.get("/api/v1/stats/summary").status_code in (401, 403)


def test_the_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for endpoint in ENDPOINTS:
        operation = schema["paths"][f"/api/v1/stats/{endpoint}"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "preset", "agency"}
