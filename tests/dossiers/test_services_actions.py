"""Actions on a received dossier: hand-over, pauses and due dates, apology, endings, the result."""

import pytest
import time_machine

from accounts.models import Role
from config.errors import Conflict, InvalidInput
from dossiers.documents.issuing import queue_result
from dossiers.lifecycle.clock import clock_note
from dossiers.lifecycle.services import expire_supplement, perform
from dossiers.models import DossierEvent, Status
from dossiers.public.tracking import track
from tests import factories
from tests.helpers import frozen_at as at

from .lifecycle import (
    MONDAY_9AM,
    intake,
    vn,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(clerk, handler, leader, ward, birth_registration):
    """Birth registration received Monday 2 March 2026 09:00, due Thursday 5 March 17:00."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


def test_forward_hands_over_to_the_next_steps_role_holder_and_records_form_05_data(received, clerk, handler):
    with at(2026, 3, 2, 10, 0):
        d = perform(received.code, "forward", clerk, {"note": "Hồ sơ đầy đủ"})

    assert d.status == Status.PROCESSING and d.assignee == handler
    first, second = d.steps.order_by("order")[:2]
    assert first.finished_at == vn(2026, 3, 2, 10, 0)
    assert second.started_at == vn(2026, 3, 2, 10, 0) and second.assignee == handler
    assert d.current_step == second
    event = d.events.get(action="forward")
    assert event.note == "Hồ sơ đầy đủ"
    assert {k: event.payload[k] for k in ("from_unit", "to_unit", "from_user", "to_user", "to_step")} == {
        "from_unit": received.receiving_agency.name,
        "to_unit": received.competent_agency.name,
        "from_user": clerk.pk,
        "to_user": handler.pk,
        "to_step": "Thẩm định",
    }


def test_forward_to_a_chosen_user_needs_the_next_steps_role(received, clerk, leader, ward):
    with pytest.raises(InvalidInput) as err:
        perform(received.code, "forward", clerk, {"to_user": leader.pk})
    assert "to_user" in err.value.fields
    second_handler = factories.user(role=Role.HANDLER, agency=ward)
    d = perform(received.code, "forward", clerk, {"to_user": second_handler.pk})
    assert d.assignee == second_handler


def test_forward_assigns_the_least_busy_holder(received, clerk, ward, handler, birth_registration):
    idle = factories.user(role=Role.HANDLER, agency=ward)
    perform(received.code, "forward", clerk, {"to_user": handler.pk})
    second = intake(clerk, ward, birth_registration)
    assert perform(second.code, "forward", clerk, {}).assignee == idle


def test_full_path_to_a_returned_result(received, clerk, handler, leader, django_capture_on_commit_callbacks):
    with at(2026, 3, 2, 10, 0):
        perform(received.code, "forward", clerk, {})
    with at(2026, 3, 3, 10, 0):
        perform(received.code, "draft_result", handler, {"particulars": "Họ, chữ đệm, tên: Trần Thị Bình"})
        assert perform(received.code, "forward", handler, {}).assignee == leader
    with at(2026, 3, 4, 10, 0), django_capture_on_commit_callbacks() as callbacks:
        d = perform(received.code, "resolve", leader, {"outcome": "approved", "draft_version": 1})
    assert (d.status, d.outcome, d.e_result_status) == (Status.RESOLVED, "approved", "pending")
    assert d.resolved_at == d.finished_at == vn(2026, 3, 4, 10, 0)
    # the e-result task, enqueued once the transaction commits
    assert [cb.args for cb in callbacks if getattr(cb, "func", None) is queue_result] == [(d.pk,)]
    assert d.assignee == clerk and d.current_step.order == 4  # back to the counter to return it

    with at(2026, 3, 4, 14, 0):
        d = perform(received.code, "return_result", clerk, {"method": "in_person"})
    assert (d.status, d.return_method, d.returned_at) == (Status.RETURNED, "in_person", vn(2026, 3, 4, 14, 0))
    assert not d.steps.filter(finished_at__isnull=True).exists()
    assert list(d.events.values_list("action", flat=True)) == [
        "receive",
        "forward",
        "draft_result",
        "forward",
        "resolve",
        "return_result",
    ]


def test_denial_needs_a_reason(received, clerk, handler, leader):
    perform(received.code, "forward", clerk, {})
    perform(received.code, "forward", handler, {})
    with pytest.raises(InvalidInput) as err:
        perform(received.code, "resolve", leader, {"outcome": "denied"})
    assert "reason" in err.value.fields
    d = perform(received.code, "resolve", leader, {"outcome": "denied", "reason": "Không đủ điều kiện"})
    assert (d.outcome, d.outcome_note) == ("denied", "Không đủ điều kiện")


def test_supplement_during_processing_shifts_due_dates_by_the_paused_working_days(received, clerk, handler):
    perform(received.code, "forward", clerk, {})
    with at(2026, 3, 3, 10, 0):  # Tuesday
        d = perform(
            received.code,
            "request_supplement",
            handler,
            {
                "missing": [
                    {"name": "Giấy chứng sinh", "reason": "Bản sao không rõ"},
                    {"name": "Tờ khai", "reason": "Thiếu chữ ký"},
                ]
            },
        )
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.paused_at == vn(2026, 3, 3, 10, 0)
    assert len(d.events.get(action="request_supplement").payload["missing"]) == 2
    step_due_before = d.current_step.due_at

    with at(2026, 3, 5, 10, 0):  # Thursday: Wednesday and Thursday were lost
        d = perform(received.code, "supplement", clerk, {})
    assert d.status == Status.PROCESSING
    assert d.paused_working_days == 2 and d.paused_at is None and d.supplement_due_at is None
    assert d.due_at == vn(2026, 3, 9, 17, 0) == d.legal_due_at  # Thursday 5 -> Monday 9
    assert d.original_due_at == vn(2026, 3, 5, 17, 0)
    d.current_step.refresh_from_db()
    assert d.current_step.due_at > step_due_before


def test_supplement_requested_at_intake_restarts_the_clock_on_completion(clerk, ward, birth_registration):
    first, second = birth_registration.requirements.order_by("order")
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = intake(
            clerk,
            ward,
            birth_registration,
            provided=[first.pk],
            missing=[{"requirement_id": second.pk, "reason": "Thiếu"}],
        )
    with at(2026, 3, 11, 10, 0):  # Wednesday the next week
        d = perform(d.code, "supplement", clerk, {"provided_requirement_ids": [second.pk]})
    assert d.status == Status.RECEIVED
    assert d.clock_started_at == vn(2026, 3, 11, 10, 0)
    assert d.due_at == d.legal_due_at == d.original_due_at == vn(2026, 3, 16, 17, 0)
    assert d.paused_working_days == 0
    assert d.events.get(action="supplement").payload["restarted"] is True


RESTARTED = "Tính lại thời hạn từ khi đủ hồ sơ; hẹn trả %s/03/2026"
PAUSED = "Tạm dừng, cộng thêm %s ngày làm việc; hẹn trả %s/03/2026"
R, P = Status.RECEIVED, Status.PROCESSING


# Received Monday 2 March 2026 09:00 (3 working days: due Thursday 5 March 17:00); (day, hour) in March 2026.
# Who asks for the supplement decides the clock: the counter intake's own list (incomplete at intake)
# restarts it on completion; any later request, even still at the receiving step, pauses it.
@pytest.mark.parametrize(
    ("who", "asked", "answered", "back_to", "due_day", "paused", "note"),
    [
        ("intake", None, (11, 10), R, 16, 0, RESTARTED % "16"),  # counts afresh from Wednesday 11
        ("clerk", (3, 10), (5, 10), R, 9, 2, PAUSED % (2, "09")),  # Wednesday and Thursday lost
        ("clerk", (2, 11), (2, 16), R, 5, 0, PAUSED % (0, "05")),  # answered the same day
        ("handler", (3, 10), (6, 10), P, 10, 3, PAUSED % (3, "10")),
    ],
)
def test_a_supplement_restarts_the_clock_only_for_a_dossier_incomplete_at_intake(
    request,
    clerk,
    handler,
    leader,
    ward,
    birth_registration,
    who,
    asked,
    answered,
    back_to,
    due_day,
    paused,
    note,
):
    first, second = birth_registration.requirements.order_by("order")
    incomplete = who == "intake"
    with time_machine.travel(MONDAY_9AM, tick=False):
        if incomplete:
            missing = [{"requirement_id": second.pk, "reason": "Thiếu"}]
            d = intake(clerk, ward, birth_registration, provided=[first.pk], missing=missing)
        else:
            d = intake(clerk, ward, birth_registration)
    if who == "handler":
        with at(2026, 3, 2, 10, 0):
            perform(d.code, "forward", clerk, {})
    if not incomplete:
        with at(2026, 3, *asked, 0):
            missing = [{"name": "Tờ khai", "reason": "Thiếu chữ ký"}]
            perform(d.code, "request_supplement", request.getfixturevalue(who), {"missing": missing})
    asked_event = d.events.get(action="request_supplement")
    assert asked_event.payload["at_intake"] is incomplete
    assert asked_event.payload["clock"] == ("restart_on_completion" if incomplete else "pause")

    with at(2026, 3, *answered, 0):
        d = perform(d.code, "supplement", clerk, {"provided_requirement_ids": [second.pk]})
    assert d.status == back_to
    assert d.due_at == d.legal_due_at == vn(2026, 3, due_day, 17, 0)
    assert d.paused_working_days == paused
    done = d.events.get(action="supplement")
    assert (done.payload["restarted"], done.payload["paused_working_days"]) == (incomplete, paused)
    assert clock_note("supplement", done.payload) == note
    public = {e.text: e.note for e in track(d.code, d.tracking_pin).timeline}
    assert public["Đã nhận giấy tờ bổ sung"] == note


def test_payment_at_the_counter_pauses_and_resumes_the_clock(received, clerk, handler):
    perform(received.code, "forward", clerk, {})
    with at(2026, 3, 3, 9, 0):
        d = perform(received.code, "request_payment", handler, {"amount": 8000})
    assert (d.status, d.fee_amount) == (Status.AWAITING_PAYMENT, 8000)
    with at(2026, 3, 4, 9, 0):
        d = perform(received.code, "confirm_payment", clerk, {"online": True})  # not the clerk's to say
    assert (d.status, d.paid_online, d.paid_at) == (Status.PROCESSING, False, vn(2026, 3, 4, 9, 0))
    assert d.due_at == vn(2026, 3, 6, 17, 0) and d.paused_working_days == 1


def test_apology_moves_the_appointment_but_not_the_legal_due_date(received, clerk, handler):
    perform(received.code, "forward", clerk, {})
    with at(2026, 3, 4, 9, 0):
        d = perform(
            received.code, "apologize", handler, {"reason": "Cần xác minh", "new_due_date": "2026-03-10"}
        )
    assert d.status == Status.PROCESSING and d.apology_count == 1
    assert d.due_at == vn(2026, 3, 10, 17, 0) and d.legal_due_at == vn(2026, 3, 5, 17, 0)
    payload = d.events.get(action="apologize").payload
    assert payload["old_due_at"] == vn(2026, 3, 5, 17, 0).isoformat()
    assert payload["new_due_at"] == vn(2026, 3, 10, 17, 0).isoformat()


@pytest.mark.parametrize("new_date", ["2026-03-05", "2026-03-01", "not-a-date", ""])
def test_apology_needs_a_later_appointment(received, clerk, handler, new_date):
    perform(received.code, "forward", clerk, {})
    with pytest.raises(InvalidInput):
        perform(received.code, "apologize", handler, {"reason": "Chậm", "new_due_date": new_date})
    assert DossierEvent.objects.filter(action="apologize").count() == 0


@pytest.mark.parametrize(
    ("action", "role", "status"),
    [
        ("withdraw", "clerk", Status.WITHDRAWN),
        ("stop", "handler", Status.STOPPED),
    ],
)
def test_endings_are_final_and_cannot_be_reopened(received, clerk, handler, action, role, status):
    actor = {"clerk": clerk, "handler": handler}[role]
    with at(2026, 3, 3, 9, 0):
        d = perform(
            received.code,
            action,
            actor,
            {"reason": "Theo đề nghị của công dân", "legal_ground": "Nghị định số 118/2025/NĐ-CP"},
        )
    assert d.status == status and d.finished_at == vn(2026, 3, 3, 9, 0) and d.is_final
    with pytest.raises(Conflict) as err:
        perform(received.code, "forward", clerk, {})
    assert err.value.extra["allowed_actions"] == []


def test_an_expired_supplement_request_stops_the_dossier_once(received, clerk, handler):
    with at(2026, 3, 2, 10, 0):
        perform(
            received.code, "request_supplement", clerk, {"missing": [{"name": "Tờ khai", "reason": "Sai"}]}
        )
    with at(2026, 3, 20, 9, 0):
        assert expire_supplement(received.pk) is None  # not yet due (due 1 April)
    with at(2026, 4, 2, 8, 0):
        d = expire_supplement(received.pk)
        assert d.status == Status.STOPPED and d.finished_at == vn(2026, 4, 2, 8, 0)
        assert expire_supplement(received.pk) is None
    event = d.events.get(action="expire_supplement")
    assert event.actor is None and event.actor_name == "Hệ thống"


def test_every_action_writes_exactly_one_event_in_the_same_transaction(received, clerk, handler):
    with pytest.raises(InvalidInput):
        perform(received.code, "request_supplement", handler, {"missing": [{"name": "Tờ khai"}]})
    assert list(received.events.values_list("action", flat=True)) == ["receive"]
    perform(received.code, "request_supplement", handler, {"missing": [{"name": "Tờ khai", "reason": "Sai"}]})
    assert list(received.events.values_list("action", flat=True)) == ["receive", "request_supplement"]
