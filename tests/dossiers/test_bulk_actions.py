"""Bulk actions from a queue: every dossier through the same service call as one at a time, in its own
transaction, with an outcome per dossier; scoped (another agency's code is "not found"); the desk's plain
form path and the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from config.errors import InvalidInput
from dossiers.lifecycle.bulk import MAX_BATCH, perform_many
from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, DossierEvent, Outcome, Status
from tests import factories
from tests.dossiers.lifecycle import intake
from tests.dossiers.test_forms_pdf import pdf_text
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(clerk, handler, ward, birth_registration):
    return [intake(clerk, ward, birth_registration) for _ in range(3)]


@pytest.fixture
def elsewhere(province, birth_registration):
    other_ward = factories.agency(parent=province, name="Phường Bên Cạnh")
    other_clerk = factories.user(role=Role.CLERK, agency=other_ward)
    factories.user(role=Role.HANDLER, agency=other_ward)
    return intake(other_clerk, other_ward, birth_registration)


def _forwarded(code: str) -> bool:
    return DossierEvent.objects.filter(dossier__code=code, action="forward").exists()


def test_each_dossier_gets_its_own_outcome(clerk, received, elsewhere):
    first, second, third = received
    perform(second.code, "withdraw", clerk, {"reason": "Người nộp xin rút"})

    outcomes = perform_many(
        [first.code, second.code, elsewhere.code, "KHONG-CO", third.code], "forward", clerk, {"note": "Đủ"}
    )

    assert [(o.code, o.ok) for o in outcomes] == [
        (first.code, True),
        (second.code, False),
        (elsewhere.code, False),
        ("KHONG-CO", False),
        (third.code, True),
    ]
    assert outcomes[1].error.code == "action_not_allowed" and "rút hồ sơ" in outcomes[1].error.vi
    # another agency's dossier reads exactly as one that does not exist
    assert outcomes[2].error.as_dict() == outcomes[3].error.as_dict()
    assert outcomes[2].error.code == "not_found"
    assert [_forwarded(c) for c in (first.code, second.code, elsewhere.code, third.code)] == [
        True,
        False,
        False,
        True,
    ]


def test_every_success_is_audited_as_one_at_a_time(clerk, handler, received):
    outcomes = perform_many([d.code for d in received], "forward", clerk, {"note": "Chuyển thẩm định"})

    assert all(o.ok for o in outcomes)
    for d in received:
        event = DossierEvent.objects.get(dossier=d, action="forward")
        assert (event.actor, event.note, event.payload["to_user"]) == (clerk, "Chuyển thẩm định", handler.pk)
        assert Dossier.objects.get(pk=d.pk).assignee == handler


def test_a_refusal_in_the_middle_undoes_nothing_before_or_after(clerk, received):
    bad = received[1]
    perform(bad.code, "forward", clerk, {})  # now at the handler's step: the clerk no longer holds it

    outcomes = perform_many([d.code for d in received], "forward", clerk, {"to_user": None})

    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].error.code == "step_moved_on"
    assert DossierEvent.objects.filter(dossier__in=received, action="forward").count() == 3


def test_wrong_inputs_refuse_the_whole_batch_before_any_dossier(clerk, received):
    with pytest.raises(InvalidInput) as refused:
        perform_many([d.code for d in received], "return_result", clerk, {"method": "pigeon"})

    assert "method" in refused.value.fields
    assert not DossierEvent.objects.filter(action="return_result").exists()


@pytest.mark.parametrize(
    ("codes", "needle"),
    [([], "Chưa chọn"), (["  "], "Chưa chọn"), ("abc", "không hợp lệ"), ([1, 2], "không hợp lệ")],
)
def test_no_codes_or_no_list_is_a_clear_refusal(clerk, codes, needle):
    with pytest.raises(InvalidInput) as refused:
        perform_many(codes, "forward", clerk, {})
    assert needle in refused.value.vi and refused.value.en


def test_the_batch_is_capped(clerk):
    with pytest.raises(InvalidInput) as refused:
        perform_many([f"X-{i}" for i in range(MAX_BATCH + 1)], "forward", clerk, {})

    assert refused.value.code == "too_many" and str(MAX_BATCH) in refused.value.en


def test_queries_grow_by_a_fixed_amount_per_dossier(clerk, ward, birth_registration):
    def queries_for(n: int) -> int:
        codes = [intake(clerk, ward, birth_registration).code for _ in range(n)]
        with CaptureQueriesContext(connection) as captured:
            assert all(o.ok for o in perform_many(codes, "forward", clerk, {}))
        return len(captured.captured_queries)

    factories.user(role=Role.HANDLER, agency=ward)
    one, two, four = queries_for(1), queries_for(2), queries_for(4)

    per_dossier = two - one
    assert four - two == 2 * per_dossier  # linear: the same service call per dossier, nothing per pair
    assert per_dossier <= 30  # what one forward costs through services.perform
    assert one - per_dossier <= 3  # the batch itself: the scope read once


# --- the desk: plain form posts -------------------------------------------------------------------------


def test_the_queue_offers_checkboxes_and_only_the_users_actions(client, clerk, handler, received):
    client.force_login(clerk)
    page = client.get("/desk/q/in_progress/").content.decode()

    assert page.count('name="codes"') == 3 and 'form="bulk"' in page
    assert 'value="forward"' in page and 'value="print_receipts"' in page
    assert 'value="return_result"' not in page  # no row is resolved
    client.force_login(handler)
    assert 'value="print_receipts"' in client.get("/desk/q/in_progress/").content.decode()


def test_forwarding_many_without_javascript(client, clerk, handler, received, elsewhere):
    client.force_login(clerk)
    codes = [d.code for d in received] + [elsewhere.code]

    inputs = client.post("/desk/bulk/", {"action": "forward", "codes": codes, "back": "/desk/q/mine/"})
    assert inputs.status_code == 200
    html = inputs.content.decode()
    assert f'<option value="{handler.pk}">' in html  # the next step's holders, least busy first
    assert html.count('type="hidden" name="codes"') == 4
    assert not DossierEvent.objects.filter(action="forward").exists()  # nothing done before confirming

    done = client.post(
        "/desk/bulk/",
        {"action": "forward", "codes": codes, "confirm": "1", "to_user": str(handler.pk), "note": "Đủ"},
    )

    html = done.content.decode()
    assert done.status_code == 200
    assert 'data-done="3"' in html and 'data-refused="1"' in html
    assert html.count('data-ok="1"') == 3
    assert f'data-code="{elsewhere.code}" data-ok="0"' in html and "Không tìm thấy hồ sơ." in html
    assert f'href="/dossiers/{received[0].code}/"' in html
    assert f'href="/dossiers/{elsewhere.code}/"' not in html  # never a link into another agency
    assert all(_forwarded(d.code) for d in received) and not _forwarded(elsewhere.code)


def test_wrong_inputs_come_back_on_the_inputs_page(client, clerk, leader, received):
    perform(received[0].code, "forward", clerk, {})
    client.force_login(clerk)

    response = client.post(
        "/desk/bulk/", {"action": "return_result", "codes": [received[0].code], "confirm": "1"}
    )

    assert response.status_code == 400
    assert "Dữ liệu thao tác chưa hợp lệ." in response.content.decode()
    assert "Trường này là bắt buộc." in response.content.decode()


def test_the_refusal_is_shown_in_english_too(client, clerk, received):
    perform(received[0].code, "withdraw", clerk, {"reason": "Rút"})
    client.force_login(clerk)
    client.cookies["django_language"] = "en"

    html = client.post(
        "/desk/bulk/", {"action": "forward", "codes": [received[0].code], "confirm": "1"}
    ).content.decode()

    assert "Cannot forward a dossier in status" in html


def test_unknown_action_or_nothing_selected_is_refused(client, clerk, received):
    client.force_login(clerk)

    assert client.post("/desk/bulk/", {"action": "stop", "codes": [received[0].code]}).status_code == 404
    nothing = client.post("/desk/bulk/", {"action": "forward"})
    assert nothing.status_code == 400 and "Chưa chọn hồ sơ nào." in nothing.content.decode()
    assert client.get("/desk/bulk/").status_code == 405


def test_returning_many_results(client, clerk, handler, leader, received, django_capture_on_commit_callbacks):
    for d in received[:2]:
        perform(d.code, "forward", clerk, {})
        perform(d.code, "forward", handler, {})
        factories.result_draft(d, handler)  # the leader approves the handler's draft
        perform(d.code, "resolve", leader, {"outcome": Outcome.APPROVED, "draft_version": 1})
    client.force_login(clerk)
    assert 'value="return_result"' in client.get("/desk/q/to_return/").content.decode()

    html = client.post(
        "/desk/bulk/",
        {
            "action": "return_result",
            "codes": [d.code for d in received],
            "confirm": "1",
            "method": "in_person",
        },
    ).content.decode()

    assert 'data-done="2"' in html and 'data-refused="1"' in html
    statuses = list(
        Dossier.objects.filter(pk__in=[d.pk for d in received]).order_by("pk").values_list("status")
    )
    assert statuses == [(Status.RETURNED,), (Status.RETURNED,), (Status.RECEIVED,)]


# --- printing many ---------------------------------------------------------------------------------------


def test_receipts_of_the_selection_in_one_pdf(client, clerk, received):
    client.force_login(clerk)

    response = client.post("/desk/bulk/", {"action": "print_receipts", "codes": [d.code for d in received]})

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert all(d.code in text for d in received)
    assert text.count("GIẤY TIẾP NHẬN HỒ SƠ") == 3


def test_printing_names_what_cannot_be_printed_and_offers_the_rest(
    client, clerk, ward, birth_registration, received, elsewhere
):
    online = factories.dossier(procedure=birth_registration, agency=ward, status=Status.SUBMITTED)
    Dossier.objects.filter(pk=online.pk).update(received_at=None)
    client.force_login(clerk)
    codes = [received[0].code, online.code, elsewhere.code]

    response = client.post("/desk/bulk/", {"action": "print_receipts", "codes": codes})

    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'data-done="1"' in html and 'data-refused="2"' in html
    assert "Không tìm thấy hồ sơ." in html
    assert html.count('type="hidden" name="codes"') == 1  # the button prints the printable one


def test_the_register_of_the_selection(client, clerk, received):
    client.force_login(clerk)

    response = client.post(
        "/desk/bulk/", {"action": "print_register", "codes": [d.code for d in received[:2]]}
    )

    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text.upper()
    assert received[0].code in text and received[1].code in text and received[2].code not in text


# --- the API ---------------------------------------------------------------------------------------------


def test_the_api_answers_an_outcome_per_code(clerk, handler, received, elsewhere):
    perform(received[1].code, "withdraw", clerk, {"reason": "Rút"})
    codes = [d.code for d in received] + [elsewhere.code]

    response = client_for(clerk).post(
        "/api/v1/dossiers/bulk/forward/", {"codes": codes, "note": "Đủ"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert [(r["code"], r["ok"]) for r in body] == [
        (codes[0], True),
        (codes[1], False),
        (codes[2], True),
        (codes[3], False),
    ]
    assert body[0]["error"] is None
    assert body[1]["error"]["code"] == "action_not_allowed" and body[1]["error"]["message_en"]
    assert body[3]["error"] == {
        "code": "not_found",
        "message": "Không tìm thấy hồ sơ.",
        "message_en": "Dossier not found.",
    }
    assert "Phường Bên Cạnh" not in response.content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"codes": []}, "codes"),
        ({"codes": "one"}, "codes"),
        ({"codes": [f"X-{i}" for i in range(MAX_BATCH + 1)]}, "codes"),
        ({"codes": ["X-1"], "to_user": "nobody"}, "to_user"),
    ],
)
def test_the_api_refuses_a_wrong_request_whole(clerk, body, field):
    response = client_for(clerk).post("/api/v1/dossiers/bulk/forward/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_api_needs_a_sign_in():
    from rest_framework.test import APIClient

    assert APIClient().post(
        "/api/v1/dossiers/bulk/forward/", {"codes": ["X"]}, format="json"
    ).status_code in (
        401,
        403,
    )
