"""The dossier page: facts, due date in working days, only the allowed actions, and their forms' answers."""

from __future__ import annotations

import pytest
import time_machine

from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, Status
from dossiers.views.dossier import days_left
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, intake, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(clerk, handler, leader, ward, birth_registration):
    """Received Monday 2 March 2026 09:00, due Thursday 5 March 17:00."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


def page(client, user, dossier, when=MONDAY_9AM):
    client.force_login(user)
    with time_machine.travel(when, tick=False):
        return client.get(f"/dossiers/{dossier.code}/")


def action_names(response) -> list[str]:
    return [form.action for _action, form in response.context["actions"]]


@pytest.mark.parametrize(
    ("now", "due", "expected"),
    [
        (vn(2026, 3, 2, 9), vn(2026, 3, 5, 17), 3),
        (vn(2026, 3, 5, 9), vn(2026, 3, 5, 17), 0),
        (vn(2026, 3, 6, 9), vn(2026, 3, 5, 17), -1),
        (vn(2026, 3, 9, 9), vn(2026, 3, 5, 17), -2),  # Friday and Monday are late, the weekend is not
        (vn(2026, 2, 13, 9), vn(2026, 2, 23, 17), 1),  # across Tết
    ],
)
def test_days_left_count_working_days(now, due, expected):
    assert days_left(due, now) == expected


def test_page_shows_applicant_components_timeline_and_due_date(client, clerk, received):
    response = page(client, clerk, received)

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Trần Thị Bình", "001190012345", "Tờ khai", "Giấy chứng sinh", "Tiếp nhận", "05/03/2026"):
        assert text in html
    assert "còn 3 ngày làm việc" in html
    assert f"/dossiers/{received.code}/forms/01.pdf" in html
    assert f"/dossiers/{received.code}/forms/06.pdf" in html
    assert f"/dossiers/{received.code}/forms/05.pdf" not in html  # not stopped


def test_components_can_be_scanned_from_the_page(client, clerk, received):
    html = page(client, clerk, received).content.decode()

    assert f'action="/dossiers/{received.code}/documents/upload"' in html
    assert html.count('name="requirement"') == received.procedure.requirements.count()


def test_late_due_date_is_red(client, clerk, received):
    response = page(client, clerk, received, when=vn(2026, 3, 9, 9))

    assert response.context["past_appointment"] is True
    assert 'class="late" id="days-left"' in response.content.decode()
    assert "trễ hẹn 2 ngày làm việc" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("clerk", ["forward", "request_supplement", "request_payment", "withdraw"]),
        ("handler", ["request_supplement", "request_payment", "apologize", "stop"]),
        ("leader", ["apologize", "stop"]),  # nothing to approve before the approval step
    ],
)
def test_only_the_allowed_actions_are_offered(client, received, request, who, expected):
    response = page(client, request.getfixturevalue(who), received)

    assert action_names(response) == expected
    html = response.content.decode()
    assert "Trả kết quả</summary>" not in html
    for name in expected:
        assert f'action="/dossiers/{received.code}/actions/{name}/"' in html


def test_each_action_asks_only_for_its_inputs(client, clerk, handler, received):
    at_counter = {f.action: f for _a, f in page(client, clerk, received).context["actions"]}
    with_handler = {f.action: set(f.fields) for _a, f in page(client, handler, received).context["actions"]}

    assert set(at_counter["forward"].fields) == {"to_user", "note"}
    assert str(handler.pk) in dict(at_counter["forward"].fields["to_user"].choices)
    assert with_handler["stop"] == {"reason", "legal_ground"}
    assert with_handler["apologize"] == {"reason", "new_due_date"}
    assert {"missing_other", "missing_other_reason", "note"} <= with_handler["request_supplement"]


def test_forwarding_redirects_to_the_dossier_with_the_event_recorded(client, clerk, handler, received):
    client.force_login(clerk)
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(f"/dossiers/{received.code}/actions/forward/", {"note": "Đủ hồ sơ"})

    assert response.status_code == 302 and response.url == f"/dossiers/{received.code}/"
    d = Dossier.objects.get(pk=received.pk)
    assert d.status == Status.PROCESSING and d.assignee == handler
    assert d.events.filter(action="forward", note="Đủ hồ sơ").exists()


def test_supplement_request_from_the_checklist(client, clerk, received):
    req = received.procedure.requirements.first()
    client.force_login(clerk)
    data = {
        f"missing_{req.pk}": "on",
        f"missing_reason_{req.pk}": "Ảnh mờ",
        "missing_other": "Sổ hộ khẩu",
        "missing_other_reason": "Cần đối chiếu",
    }

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(f"/dossiers/{received.code}/actions/request_supplement/", data)

    assert response.status_code == 302
    event = Dossier.objects.get(pk=received.pk).events.get(action="request_supplement")
    assert [m["name"] for m in event.payload["missing"]] == [req.name, "Sổ hộ khẩu"]


def test_missing_reason_is_shown_inline(client, clerk, received):
    req = received.procedure.requirements.first()
    client.force_login(clerk)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(
            f"/dossiers/{received.code}/actions/request_supplement/", {f"missing_{req.pk}": "on"}
        )

    assert response.status_code == 400
    assert "Cần nêu lý do bổ sung." in response.content.decode()
    assert Dossier.objects.get(pk=received.pk).status == Status.RECEIVED


def test_required_input_missing_is_a_field_error_not_a_500(client, handler, received):
    client.force_login(handler)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(f"/dossiers/{received.code}/actions/stop/", {"reason": ""})

    assert response.status_code == 400
    assert "bắt buộc" in response.content.decode()
    assert response.context["open_action"] == "stop"


def test_an_action_overtaken_by_another_is_a_conflict_asking_to_reload(client, clerk, handler, received):
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        perform(received.code, "withdraw", clerk, {"reason": "Người dân rút"})
        client.force_login(handler)
        response = client.post(f"/dossiers/{received.code}/actions/stop/", {"reason": "Không đủ điều kiện"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Vui lòng tải lại trang" in html
    assert "Công dân yêu cầu rút hồ sơ" in html


def test_wrong_role_is_refused_with_its_message(client, clerk, received):
    client.force_login(clerk)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.post(f"/dossiers/{received.code}/actions/resolve/", {"outcome": "approved"})

    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


def test_action_page_works_on_its_own(client, handler, received):
    client.force_login(handler)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        response = client.get(f"/dossiers/{received.code}/actions/apologize/")

    assert response.status_code == 200
    assert 'type="date"' in response.content.decode()


def test_dossier_of_another_ward_is_not_found(client, province, birth_registration):
    elsewhere = factories.agency(parent=province)
    d = factories.dossier(procedure=birth_registration, agency=elsewhere)
    stranger = factories.user(role="clerk", agency=factories.agency(parent=province))
    client.force_login(stranger)

    assert client.get(f"/dossiers/{d.code}/").status_code == 404
    assert client.post(f"/dossiers/{d.code}/actions/stop/", {"reason": "x"}).status_code == 404


def test_online_dossier_is_received_from_the_to_receive_tab(client, clerk, ward, birth_registration):
    from dossiers.lifecycle.services import submit_online
    from tests.dossiers.lifecycle import APPLICANT

    citizen = factories.user()
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = submit_online(
            applicant_user=citizen,
            agency=ward,
            procedure=birth_registration,
            applicant=APPLICANT,
            provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
        )
        client.force_login(clerk)
        tab = client.get("/desk/q/to_receive/").content.decode()
        response = client.post(f"/dossiers/{d.code}/actions/receive/")

    assert f'href="/dossiers/{d.code}/"' in tab
    assert response.status_code == 302
    assert Dossier.objects.get(pk=d.pk).status == Status.RECEIVED
