"""An action's inputs are validated once, by workflow.clean_inputs: the same bad input gives the same field
errors through the API (400, the project's error shape) and the desk form (400, errors beside the fields)."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from dossiers.models import Dossier, Status
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, intake, vn

pytestmark = pytest.mark.django_db

REQUIRED = "Trường này là bắt buộc."
DENIAL = "Cần nêu lý do từ chối giải quyết."
INVALID = "Giá trị không hợp lệ."


@pytest.fixture
def staff(ward):
    """An official holding the clerk, handler and leader roles: every action of a received dossier is open."""
    user = factories.user(role=Role.CLERK, agency=ward)
    Membership.objects.create(user=user, agency=ward, role=Role.HANDLER)
    Membership.objects.create(user=user, agency=ward, role=Role.LEADER)
    return user


@pytest.fixture
def received(staff, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(staff, ward, birth_registration)


def first_requirement(dossier):
    return dossier.procedure.requirements.order_by("order").first()


# (action, API body, desk form post, expected {field: message}); a callable builds what needs the component.
CASES = [
    ("stop", {}, {}, {"reason": REQUIRED, "legal_ground": REQUIRED}),
    ("stop", {"reason": "   "}, {"reason": "   "}, {"reason": REQUIRED, "legal_ground": REQUIRED}),
    (
        "stop",
        {"reason": "Không đủ điều kiện", "legal_ground": "x" * 2001},
        {"reason": "Không đủ điều kiện", "legal_ground": "x" * 2001},
        {"legal_ground": "Quá dài (tối đa 2000 ký tự)."},
    ),
    ("withdraw", {"reason": "x" * 2001}, {"reason": "x" * 2001}, {"reason": "Quá dài (tối đa 2000 ký tự)."}),
    (
        "apologize",
        {"reason": "Chờ xác minh", "new_due_date": "9999-12-31"},
        {"reason": "Chờ xác minh", "new_due_date": "9999-12-31"},
        {"new_due_date": "Ngày phải trong khoảng năm 1980–2200."},
    ),
    ("apologize", {}, {}, {"reason": REQUIRED, "new_due_date": REQUIRED}),
    (
        "apologize",
        {"reason": "Chờ xác minh", "new_due_date": "31/02/2026"},
        {"reason": "Chờ xác minh", "new_due_date": "31/02/2026"},
        {"new_due_date": INVALID},
    ),
    ("resolve", {"outcome": "maybe"}, {"outcome": "maybe"}, {"outcome": INVALID}),
    (
        "resolve",
        {"outcome": "denied"},
        {"outcome": "denied"},
        {"reason": "Cần nêu lý do từ chối giải quyết."},
    ),
    (
        "resolve",
        {"outcome": "approved"},
        {"outcome": "approved"},
        {"draft_version": "Cần xem trước và nêu phiên bản dự thảo được phê duyệt."},
    ),
    ("request_payment", {"amount": "-5"}, {"amount": "-5"}, {"amount": INVALID}),
    ("request_payment", {"amount": "nhiều"}, {"amount": "nhiều"}, {"amount": INVALID}),
    (
        "request_supplement",
        lambda req: {"missing": [{"requirement_id": req.pk, "name": req.name, "reason": ""}]},
        lambda req: {f"missing_{req.pk}": "on"},
        lambda req: {"missing.0.reason": "Cần nêu lý do bổ sung."},
    ),
]


def _built(value, dossier):
    return value(first_requirement(dossier)) if callable(value) else value


@pytest.mark.parametrize(("action", "body", "post", "expected"), CASES)
def test_the_same_bad_input_gives_the_same_field_errors_in_the_api_and_the_desk(
    client, staff, received, action, body, post, expected
):
    body, post, expected = (_built(v, received) for v in (body, post, expected))
    if action == "resolve":  # approving belongs to the leader's step
        Dossier.objects.filter(pk=received.pk).update(current_step=received.steps.get(role=Role.LEADER))
    api = APIClient()
    api.force_authenticate(staff)
    client.force_login(staff)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        from_api = api.post(f"/api/v1/dossiers/{received.code}/actions/{action}/", body, format="json")
        from_desk = client.post(f"/dossiers/{received.code}/actions/{action}/", post)

    assert from_api.status_code == 400, from_api.content
    error = from_api.json()["error"]
    assert {"code", "message", "message_en", "fields"} <= set(error)
    assert {name: f["message"] for name, f in error["fields"].items()} == expected
    assert all(f["message_en"] for f in error["fields"].values())

    assert from_desk.status_code == 400
    form = next(f for _a, f in from_desk.context["actions"] if f.action == action)
    shown = sorted(m for messages in form.errors.values() for m in messages)
    assert shown == sorted(expected.values())
    for name, message in expected.items():
        if name in form.fields:
            assert form.errors[name] == [message]  # beside its own field
    assert Dossier.objects.get(pk=received.pk).status == Status.RECEIVED


def test_the_desk_shows_the_field_errors_in_english_when_the_page_is_english(
    client, settings, staff, received
):
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(f"/dossiers/{received.code}/actions/stop/", {"reason": ""})
    form = next(f for _a, f in response.context["actions"] if f.action == "stop")
    assert form.errors["reason"] == ["This field is required."]


def test_a_good_desk_post_reaches_the_service_with_its_raw_values(client, staff, received):
    client.force_login(staff)
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(
            f"/dossiers/{received.code}/actions/request_payment/", {"amount": " 50000 ", "note": "Lệ phí"}
        )
    assert response.status_code == 302
    after = Dossier.objects.get(pk=received.pk)
    assert after.status == Status.AWAITING_PAYMENT and after.fee_amount == 50000
