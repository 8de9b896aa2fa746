"""The dossier REST API: counter intake, scoped detail and history, one endpoint per action."""

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Role
from tests import factories
from tests.helpers import client_for

from .lifecycle import (
    APPLICANT,
    MONDAY_9AM,
    intake,
    vn,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/"


def intake_payload(procedure, **kw) -> dict:
    return {
        "procedure": procedure.code,
        "applicant": APPLICANT,
        "provided_requirement_ids": [r.pk for r in procedure.requirements.all()],
        **kw,
    }


@time_machine.travel(MONDAY_9AM, tick=False)
def test_counter_intake_returns_code_appointment_and_pin(clerk, ward, birth_registration):
    response = client_for(clerk).post(URL, intake_payload(birth_registration), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == f"{ward.code}-260302-0001"
    assert body["status"] == "received"
    assert body["appointment"] == "2026-03-05T17:00:00+07:00"
    assert len(body["tracking_pin"]) == 6
    assert body["warnings"] == []


def test_counter_intake_outside_office_hours_warns_the_clerk(clerk, ward, birth_registration):
    with time_machine.travel(vn(2026, 3, 7, 9, 0), tick=False):  # a Saturday
        response = client_for(clerk).post(URL, intake_payload(birth_registration), format="json")
    assert response.status_code == 201, response.json()
    (warning,) = response.json()["warnings"]
    assert (warning["code"], warning["counts_from"]) == ("non_working_day", "2026-03-09")
    assert "09/03/2026" in warning["message"] and warning["message_en"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"applicant": {**APPLICANT, "id_number": "12345"}}, {"id_number"}),
        (
            {"applicant": {**APPLICANT, "id_number": "999190012345", "phone": "0212345678"}},
            {"id_number", "phone"},
        ),
        ({"applicant": {**APPLICANT, "email": "not-an-email"}}, {"email"}),
        ({"provided_requirement_ids": []}, {"provided_requirement_ids"}),
        ({"procedure": "0.000000"}, {"procedure"}),
        ({"sets": 0}, {"sets"}),
        ({"applicant": "Nguyễn"}, {"applicant"}),
    ],
)
def test_bad_intake_input_is_a_400_naming_the_fields(clerk, ward, birth_registration, change, fields):
    response = client_for(clerk).post(URL, {**intake_payload(birth_registration), **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] and error["message_en"]
    assert set(error["fields"]) == fields


def test_a_non_clerk_cannot_file_an_intake(handler, birth_registration):
    response = client_for(handler).post(URL, intake_payload(birth_registration), format="json")
    assert response.status_code == 403


def test_intake_with_acknowledged_missing_components(clerk, ward, birth_registration):
    first, second = birth_registration.requirements.order_by("order")
    payload = intake_payload(
        birth_registration,
        provided_requirement_ids=[first.pk],
        missing=[{"requirement_id": second.pk, "reason": "Chưa có bản chính"}],
    )
    response = client_for(clerk).post(URL, payload, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "supplement_requested"


@pytest.fixture
def two_wards(clerk, ward, province, birth_registration):
    """Three dossiers of this ward and one of another ward of the province."""
    other = factories.agency(parent=province)
    other_clerk = factories.user(role=Role.CLERK, agency=other)
    mine = [intake(clerk, ward, birth_registration) for _ in range(3)]
    theirs = intake(other_clerk, other, birth_registration)
    return mine, theirs


def test_the_list_shows_only_dossiers_of_the_users_agencies(clerk, two_wards):
    mine, theirs = two_wards
    codes = [row["code"] for row in client_for(clerk).get(URL).json()["results"]]
    assert codes == [d.code for d in reversed(mine)]  # newest first


def test_a_dossier_outside_the_scope_is_not_found(clerk, two_wards):
    _, theirs = two_wards
    client = client_for(clerk)
    for path in ("", "history/"):
        assert client.get(f"{URL}{theirs.code}/{path}").status_code == 404
    response = client.post(f"{URL}{theirs.code}/actions/forward/", {}, format="json")
    assert response.status_code == 404


def test_the_competent_agency_sees_a_dossier_received_elsewhere(clerk, ward, province, birth_registration):
    other = factories.agency(parent=province)
    other_handler = factories.user(role=Role.HANDLER, agency=other)
    d = intake(clerk, ward, birth_registration, competent_agency=other)
    assert client_for(other_handler).get(f"{URL}{d.code}/").status_code == 200


def test_detail_shows_steps_and_the_allowed_actions(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    body = client_for(clerk).get(f"{URL}{d.code}/").json()
    assert body["allowed_actions"] == ["forward", "request_supplement", "request_payment", "withdraw"]
    assert [s["role"] for s in body["steps"]] == ["clerk", "handler", "leader", "clerk"]
    assert body["status_label"] == "Được tiếp nhận" and body["national_status_code"] == 2


def test_history_lists_the_events_in_order(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    client = client_for(clerk)
    client.post(f"{URL}{d.code}/actions/withdraw/", {"reason": "Công dân rút"}, format="json")
    events = client.get(f"{URL}{d.code}/history/").json()
    assert [(e["action"], e["to_status"]) for e in events] == [
        ("receive", "received"),
        ("withdraw", "withdrawn"),
    ]
    assert events[1]["note"] == "Công dân rút"


def test_an_action_endpoint_performs_it_and_returns_the_dossier(clerk, handler, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    response = client_for(clerk).post(f"{URL}{d.code}/actions/forward/", {"note": "Đủ"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    assert response.json()["assignee_name"] == handler.display_name


def test_an_action_in_the_wrong_status_is_a_409_naming_allowed_actions(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    response = client_for(clerk).post(f"{URL}{d.code}/actions/return_result/", {"method": "in_person"})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "action_not_allowed"
    assert error["allowed_actions"] == ["forward", "request_supplement", "request_payment", "withdraw"]


def test_an_action_for_another_role_is_a_403_naming_allowed_actions(clerk, handler, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    response = client_for(handler).post(f"{URL}{d.code}/actions/withdraw/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["allowed_actions"] == [
        "request_supplement",
        "request_payment",
        "apologize",
        "stop",
    ]


@pytest.mark.parametrize(
    ("action", "payload", "fields"),
    [
        ("withdraw", {}, {"reason"}),
        ("request_supplement", {"missing": []}, {"missing"}),
        ("request_supplement", {"missing": [{"name": "Tờ khai"}]}, {"missing.0.reason"}),
        ("request_supplement", {"missing": "Tờ khai"}, {"missing"}),
        ("request_payment", {"amount": "nhiều"}, {"amount"}),
        ("forward", {"to_user": 10**8}, {"to_user"}),
    ],
)
def test_a_bad_action_payload_is_a_400_naming_the_fields(
    clerk, ward, birth_registration, action, payload, fields
):
    d = intake(clerk, ward, birth_registration)
    response = client_for(clerk).post(f"{URL}{d.code}/actions/{action}/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert set(response.json()["error"]["fields"]) == fields


def test_an_unknown_action_is_a_404(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    assert client_for(clerk).post(f"{URL}{d.code}/actions/reopen/", {}).status_code == 404


def test_the_schema_documents_each_actions_payload(clerk):
    schema = client_for(clerk).get("/api/schema/", {"format": "json"}).json()
    path = schema["paths"]["/api/v1/dossiers/{code}/actions/apologize/"]["post"]
    ref = path["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["required"]) == {"reason", "new_due_date"}


def _statement(sql: str) -> str:
    """`VERB table` of a captured statement, e.g. `INSERT dossiers_dossier`."""
    import re

    verb = sql.split()[0]
    table = re.search(r'(?:FROM|INTO|UPDATE) "?(\w+)"?', sql)
    return f"{verb} {table.group(1)}" if table and verb != "SAVEPOINT" else verb


EXPECTED_INTAKE_STATEMENTS = [
    "SELECT authtoken_token",  # the token and its user
    "SELECT axes_accessattempt",  # whether the user's sign-in is locked at this address
    "SELECT accounts_membership",  # the clerk's roles
    "SELECT procedures_procedure",
    "SELECT procedures_documentrequirement",  # prefetched with the procedure
    "SELECT procedures_steptemplate",
    "SELECT accounts_agency",
    "SELECT procedures_procedure",  # whether the procedure's agency list allows the agency
    "SAVEPOINT",  # the intake transaction (a savepoint inside the test's)
    "INSERT dossiers_dailysequence",  # the agency's row of the day, if it is the first intake
    "UPDATE dossiers_dailysequence",  # the next number, locked until commit
    "SELECT dossiers_dailysequence",
    "INSERT dossiers_dossier",
    "INSERT dossiers_dossierstep",
    "UPDATE dossiers_dossier",  # the first step and its assignee
    "INSERT dossiers_dossierevent",
    "SELECT dossiers_citizenmessagerule",  # the operator's Zalo/SMS rules, once per batch of messages
    "SELECT dossiers_webhooksubscription",
    "INSERT dossiers_outboxmessage",
    "SELECT dossiers_statsmonth",  # marks the agency's month stale
    "RELEASE",
]


def test_an_intake_by_token_costs_a_fixed_set_of_queries(
    clerk, ward, birth_registration, django_assert_num_queries
):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk).key}")
    payload = intake_payload(birth_registration)
    assert client.post(URL, payload, format="json").status_code == 201
    with django_assert_num_queries(len(EXPECTED_INTAKE_STATEMENTS)) as queries:
        response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"].endswith("-0002")
    assert [_statement(q["sql"]) for q in queries.captured_queries] == EXPECTED_INTAKE_STATEMENTS
