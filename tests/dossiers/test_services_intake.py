"""Counter intake and online submission: codes, appointments, steps, the intake supplement, refusals."""

import re

import pytest
import time_machine

from accounts.models import Role
from config.errors import Forbidden, InvalidInput
from dossiers.lifecycle.services import perform, submit_online
from dossiers.models import Dossier, DossierEvent, Status
from tests import factories

from .lifecycle import (
    APPLICANT,
    MONDAY_9AM,
    intake,
    vn,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(MONDAY_9AM, tick=False)
def test_counter_intake_codes_receives_and_gives_an_appointment(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)

    assert d.code == f"{ward.code}-260302-0001"
    assert d.status == Status.RECEIVED
    assert re.fullmatch(r"\d{6}", d.tracking_pin)
    assert d.received_at == MONDAY_9AM and d.clock_started_at == MONDAY_9AM
    assert d.due_at == vn(2026, 3, 5, 17, 0) == d.legal_due_at == d.original_due_at
    assert d.received_by == clerk and d.assignee == clerk
    assert d.competent_agency == ward


@time_machine.travel(MONDAY_9AM, tick=False)
def test_the_second_dossier_of_the_day_gets_the_next_number(clerk, ward, birth_registration):
    first, second = intake(clerk, ward, birth_registration), intake(clerk, ward, birth_registration)
    assert (first.code[-4:], second.code[-4:]) == ("0001", "0002")


@time_machine.travel(MONDAY_9AM, tick=False)
def test_intake_creates_the_steps_with_due_dates_and_starts_the_first(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    steps = list(d.steps.order_by("order"))

    assert [s.role for s in steps] == ["clerk", "handler", "leader", "clerk"]
    assert d.current_step == steps[0] and steps[0].started_at == MONDAY_9AM and steps[0].assignee == clerk
    assert [s.started_at for s in steps[1:]] == [None, None, None]
    assert [s.due_at.date().isoformat() for s in steps] == [
        "2026-03-02",
        "2026-03-04",
        "2026-03-05",
        "2026-03-05",
    ]
    assert all(s.due_at <= d.due_at for s in steps)


@time_machine.travel(MONDAY_9AM, tick=False)
def test_intake_writes_one_receive_event(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    event = DossierEvent.objects.get(dossier=d)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "receive",
        "",  # created and received at once: never "submitted"
        "received",
        clerk,
    )
    assert event.payload["due_at"] == d.due_at.isoformat()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_missing_required_components_are_named_unless_acknowledged(clerk, ward, birth_registration):
    first = birth_registration.requirements.order_by("order").first()
    with pytest.raises(InvalidInput) as err:
        intake(clerk, ward, birth_registration, provided=[first.pk])
    assert err.value.code == "components_missing"
    assert "Giấy chứng sinh" in err.value.vi
    assert [m["name"] for m in err.value.extra["missing"]] == ["Giấy chứng sinh"]
    assert not Dossier.objects.exists()


@time_machine.travel(MONDAY_9AM, tick=False)
def test_acknowledged_missing_components_receive_and_request_a_supplement_at_once(
    clerk, ward, birth_registration
):
    first, second = birth_registration.requirements.order_by("order")
    d = intake(
        clerk,
        ward,
        birth_registration,
        provided=[first.pk],
        missing=[{"requirement_id": second.pk, "reason": "Chưa mang theo bản chính"}],
    )

    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert d.paused_at == MONDAY_9AM and d.supplement_count == 1
    assert d.supplement_due_at == vn(2026, 4, 1, 17, 0)  # 30 calendar days after the start day
    events = list(d.events.values_list("action", "from_status", "to_status"))
    assert events == [
        ("receive", "", "received"),
        ("request_supplement", "received", "supplement_requested"),
    ]
    payload = d.events.get(action="request_supplement").payload
    assert payload["missing"] == [
        {"requirement_id": second.pk, "name": "Giấy chứng sinh", "reason": "Chưa mang theo bản chính"}
    ]
    assert payload["at_intake"] is True


def test_only_a_clerk_of_the_agency_may_receive(handler, ward, birth_registration, province):
    other_clerk = factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    for actor in (handler, other_clerk):
        with pytest.raises(Forbidden):
            intake(actor, ward, birth_registration)


def test_competent_agency_in_the_same_province_is_recorded(clerk, ward, province, birth_registration):
    neighbour = factories.agency(parent=province, name="Phường Bên Cạnh")
    d = intake(clerk, ward, birth_registration, competent_agency=neighbour)
    assert (d.receiving_agency, d.competent_agency) == (ward, neighbour)
    assert d.steps.get(order=2).agency == neighbour and d.steps.get(order=1).agency == ward


def test_competent_agency_in_another_province_is_refused(clerk, ward, birth_registration):
    far = factories.agency(parent=factories.agency(province_code="79"))
    with pytest.raises(InvalidInput) as err:
        intake(clerk, ward, birth_registration, competent_agency=far)
    assert "competent_agency" in err.value.fields


@time_machine.travel(MONDAY_9AM, tick=False)
def test_online_submission_waits_for_a_clerk_then_is_received(clerk, ward, birth_registration):
    citizen = factories.user(role=Role.CITIZEN, agency=ward)
    d = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    assert (d.status, d.channel, d.received_at, d.due_at) == (Status.SUBMITTED, "online", None, None)

    d = perform(d.code, "receive", clerk, {})
    assert d.status == Status.RECEIVED and d.due_at == vn(2026, 3, 5, 17, 0)
    assert d.steps.count() == 4
    assert list(d.events.values_list("action", "from_status", "to_status")) == [
        ("submit", "draft", "submitted"),
        ("receive", "submitted", "received"),
    ]


@time_machine.travel(MONDAY_9AM, tick=False)
def test_refused_intake_is_final_with_its_reason(clerk, ward, birth_registration):
    citizen = factories.user(role=Role.CITIZEN, agency=ward)
    d = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    d = perform(d, "refuse_intake", clerk, {"reason": "Không thuộc thẩm quyền"})
    assert (
        d.status == Status.REFUSED
        and d.finished_at == MONDAY_9AM
        and d.outcome_note == "Không thuộc thẩm quyền"
    )
