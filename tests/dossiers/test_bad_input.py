"""Bad input never gives a 500: out-of-range dates, NUL bytes, wrong types and over-long text each get the
bilingual 400 naming the field, whichever door they come through (API, desk page, public page)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from dossiers.lifecycle.services import perform
from dossiers.lifecycle.workflow import APPOINTMENT_HORIZON_DAYS
from dossiers.models import Dossier
from tests.dossiers.lifecycle import APPLICANT, MONDAY_9AM, intake
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def assert_bilingual_400(response, field: str | None = None) -> dict:
    assert response.status_code == 400, response.content[:500]
    error = response.json()["error"]
    assert error["code"] and error["message"] and error["message_en"]
    for name, message in error.get("fields", {}).items():
        assert isinstance(message["message"], str) and isinstance(message["message_en"], str), name
        assert "{" not in message["message"] and "ErrorDetail" not in message["message"], message
    if field is not None:
        assert field in error["fields"], error
    return error


@pytest.fixture
def received(clerk, handler, leader, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


# --- the apology's new appointment: after today, within the horizon, on the calendar ---


@pytest.mark.parametrize(
    "new_due_date",
    ["9999-12-31", "0001-01-01", "2200-12-31", "2027-03-04", "2026-03-02", "2026-03-01", "2026-13-01"],
)
def test_an_apology_date_outside_the_horizon_is_a_400(handler, received, new_due_date):
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client_for(handler).post(
            f"/api/v1/dossiers/{received.code}/actions/apologize/",
            {"reason": "Cần xác minh", "new_due_date": new_due_date},
            format="json",
        )
    assert_bilingual_400(response, "new_due_date")


def test_the_last_day_of_the_horizon_is_accepted_and_the_page_still_renders(client, handler, received):
    last = MONDAY_9AM.date() + timedelta(days=APPOINTMENT_HORIZON_DAYS)
    with time_machine.travel(MONDAY_9AM, tick=False):
        perform(received.code, "apologize", handler, {"reason": "Cần xác minh", "new_due_date": str(last)})
        client.force_login(handler)
        assert client.get(f"/dossiers/{received.code}/").status_code == 200


def test_the_desk_form_refuses_a_far_apology_date_on_the_page(client, handler, received):
    client.force_login(handler)
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client.post(
            f"/dossiers/{received.code}/actions/apologize/",
            {"reason": "Cần xác minh", "new_due_date": "9999-12-31"},
        )
        assert response.status_code in (200, 400)
        assert client.get(f"/dossiers/{received.code}/").status_code == 200
    assert Dossier.objects.get(pk=received.pk).apology_count == 0


# --- periods of registers and statistics ---


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("2201-01-01", "2201-01-02")],
)
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_a_register_of_years_off_the_calendar_is_a_400(clerk, ward, date_from, date_to, fmt):
    response = client_for(clerk).get(
        f"/api/v1/registers/form-07.{fmt}", {"agency": ward.pk, "from": date_from, "to": date_to}
    )
    assert_bilingual_400(response)


def test_the_register_page_refuses_years_off_the_calendar(client, clerk, ward):
    client.force_login(clerk)
    response = client.get(
        "/registers/form-07.xlsx", {"agency": ward.pk, "from": "9999-12-30", "to": "9999-12-31"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "9998-01-01"},
        {"to": "9999-12-31"},
        {"from": "0001-01-01", "to": "0001-01-31"},
        {"from": "1979-12-31", "to": "1980-01-31"},
    ],
)
def test_statistics_of_years_off_the_calendar_are_a_400(supervisor, params):
    response = client_for(supervisor).get("/api/v1/stats/summary", params)
    assert_bilingual_400(response)


def test_the_dashboard_refuses_years_off_the_calendar(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/dashboard/", {"from": "9999-12-31", "to": "9999-12-31"})
    assert response.status_code == 400


# --- NUL bytes: PostgreSQL text cannot hold them, so every door refuses them with a 400 ---


def test_a_nul_in_public_tracking_is_a_400():
    response = APIClient().get("/api/v1/public/track", {"code": "ABC\x00", "pin": "123456"})
    error = assert_bilingual_400(response)
    assert error["code"] == "nul_character"


def test_a_nul_on_the_public_tracking_page_is_a_400(client):
    response = client.get("/tra-cuu/", {"code": "ABC\x00", "pin": "123456"})
    assert response.status_code == 400
    assert "ký tự" in response.content.decode()


def test_a_nul_in_an_intake_body_is_a_400(clerk, ward, birth_registration):
    payload = {
        "procedure": birth_registration.code,
        "applicant": {**APPLICANT, "name": "Trần\x00 Bình"},
        "provided_requirement_ids": [r.pk for r in birth_registration.requirements.all()],
    }
    response = client_for(clerk).post("/api/v1/dossiers/", payload, format="json")
    assert_bilingual_400(response)


def test_a_nul_in_a_desk_form_is_a_400(client, clerk, ward, birth_registration):
    client.force_login(clerk)
    response = client.post(
        f"/desk/intake/?procedure={birth_registration.code}", {"applicant_name": "Trần\x00 Bình"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/procedures/", "/desk/intake/procedures/"])
def test_a_nul_in_a_procedure_search_is_a_400(client, clerk, ward, url):
    client.force_login(clerk)
    response = client.get(url, {"q": "khai\x00sinh"})
    assert response.status_code == 400


def test_a_nul_in_a_json_key_is_a_400(clerk, received):
    response = client_for(clerk).post(
        f"/api/v1/dossiers/{received.code}/actions/withdraw/", {"reason\x00": "x"}, format="json"
    )
    assert_bilingual_400(response)


# --- the token endpoint takes only strings ---


@pytest.mark.parametrize("password", [12345678, ["motcua2026"], {"a": 1}, True])
def test_a_password_that_is_not_a_string_is_a_400(clerk, password):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "clerk", "password": password}, format="json"
    )
    error = assert_bilingual_400(response)
    assert error["code"] == "invalid_credentials"


@pytest.mark.parametrize("username", [123, ["clerk"], {"u": "clerk"}])
def test_a_username_that_is_not_a_string_is_a_400(clerk, username):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": "pass12345"}, format="json"
    )
    assert_bilingual_400(response)


# --- nested validation errors name the nested field, as plain text ---


def test_nested_validation_errors_are_plain_strings_under_dotted_names(clerk, ward, birth_registration):
    payload = {
        "procedure": birth_registration.code,
        "applicant": {**APPLICANT, "name": "x" * 300},
        "provided_requirement_ids": [r.pk for r in birth_registration.requirements.all()],
        "missing": [{"reason": ""}],
    }
    response = client_for(clerk).post("/api/v1/dossiers/", payload, format="json")
    error = assert_bilingual_400(response)
    assert "applicant.name" in error["fields"]
    assert "missing.0.reason" in error["fields"]


def test_list_item_errors_are_named_by_index(clerk, ward, birth_registration):
    payload = {
        "procedure": birth_registration.code,
        "applicant": APPLICANT,
        "provided_requirement_ids": [1, "x"],
    }
    response = client_for(clerk).post("/api/v1/dossiers/", payload, format="json")
    error = assert_bilingual_400(response)
    assert "provided_requirement_ids.1" in error["fields"]


# --- every text input has a length limit ---


@pytest.mark.parametrize(
    "item",
    [
        {"name": "Tờ khai", "reason": "x" * 1001},
        {"name": "x" * 501, "reason": "Thiếu"},
        {"name": 5, "reason": "Thiếu"},
        {"name": "Tờ khai", "reason": ["x"]},
        {"requirement_id": "abc", "reason": "Thiếu"},
        "Tờ khai",
    ],
)
def test_a_bad_supplement_item_is_a_400(handler, clerk, received, item):
    response = client_for(clerk).post(
        f"/api/v1/dossiers/{received.code}/actions/request_supplement/", {"missing": [item]}, format="json"
    )
    assert_bilingual_400(response)
    assert Dossier.objects.get(pk=received.pk).supplement_count == 0


def test_a_supplement_list_has_a_bounded_number_of_items(clerk, received):
    missing = [{"name": f"Giấy {i}", "reason": "Thiếu"} for i in range(101)]
    response = client_for(clerk).post(
        f"/api/v1/dossiers/{received.code}/actions/request_supplement/", {"missing": missing}, format="json"
    )
    assert_bilingual_400(response, "missing")


def test_an_intake_supplement_reason_has_the_same_limit(clerk, ward, birth_registration):
    first, second = birth_registration.requirements.order_by("order")
    with pytest.raises(Exception) as caught:
        intake(
            clerk,
            ward,
            birth_registration,
            provided=[first.pk],
            missing=[{"requirement_id": second.pk, "reason": "x" * 1001}],
        )
    assert getattr(caught.value, "fields", None) and "missing.0.reason" in caught.value.fields
