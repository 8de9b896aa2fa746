"""The transition table as a specification: (status, who) -> actions offered; refusals name them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from config.errors import Conflict, Forbidden
from dossiers.lifecycle.services import perform
from dossiers.lifecycle.workflow import ACTION_INPUTS, ACTIONS, allowed_actions
from dossiers.models import Dossier, Status
from tests import factories

pytestmark = pytest.mark.django_db

S = Status
# The current step is the clerk's first step, so only the clerk hands over, and no one approves yet.
RUNNING_STAFF = {
    "clerk": ["forward", "request_supplement", "request_payment", "withdraw"],
    "handler": ["request_supplement", "request_payment", "apologize", "stop"],
    "leader": ["apologize", "stop"],
    "applicant": ["withdraw"],
}
PAUSED_STAFF = {
    "handler": ["apologize", "stop"],
    "leader": ["apologize", "stop"],
}

# (status, who) -> allowed actions; anything absent from a row is refused.
TABLE = [
    (S.DRAFT, "applicant", ["submit"]),
    (S.DRAFT, "clerk", []),
    (S.SUBMITTED, "clerk", ["receive", "refuse_intake", "withdraw"]),
    (S.SUBMITTED, "handler", []),
    (S.SUBMITTED, "applicant", ["withdraw"]),
    (S.SUBMITTED, "outsider", []),
    *[
        (status, who, actions)
        for status in (S.RECEIVED, S.PROCESSING)
        for who, actions in RUNNING_STAFF.items()
    ],
    (S.PROCESSING, "outsider", []),
    (S.PROCESSING, "supervisor", []),
    (S.PROCESSING, "system", []),
    (S.SUPPLEMENT_REQUESTED, "clerk", ["supplement", "withdraw"]),
    (S.SUPPLEMENT_REQUESTED, "applicant", ["supplement", "withdraw"]),
    *[(S.SUPPLEMENT_REQUESTED, who, actions) for who, actions in PAUSED_STAFF.items()],
    (S.SUPPLEMENT_REQUESTED, "system", []),  # the response deadline has not passed
    (S.AWAITING_PAYMENT, "clerk", ["confirm_payment", "withdraw"]),
    (S.AWAITING_PAYMENT, "applicant", ["withdraw"]),
    *[(S.AWAITING_PAYMENT, who, actions) for who, actions in PAUSED_STAFF.items()],
    (S.RESOLVED, "clerk", ["return_result"]),
    (S.RESOLVED, "leader", []),
    (S.RESOLVED, "applicant", []),
    *[
        (status, who, [])
        for status in (S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED)
        for who in ("clerk", "handler", "leader", "applicant", "system")
    ],
]


@pytest.fixture
def people(ward, province, clerk, handler, leader, supervisor):
    citizen = factories.user(role=Role.CITIZEN, agency=ward)
    outsider = factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    return {
        "clerk": clerk,
        "handler": handler,
        "leader": leader,
        "supervisor": supervisor,
        "applicant": citizen,
        "outsider": outsider,
        "system": None,
    }


def dossier_in(status, ward, procedure, people, **kw) -> Dossier:
    d = factories.dossier(
        procedure=procedure, agency=ward, status=status, applicant_user=people["applicant"], **kw
    )
    Dossier.objects.filter(pk=d.pk).update(current_step=d.steps.order_by("order").first())
    return Dossier.objects.select_related("current_step").get(pk=d.pk)


@pytest.mark.parametrize(("status", "who", "expected"), TABLE, ids=[f"{s}-{w}" for s, w, _ in TABLE])
def test_allowed_actions(status, who, expected, ward, birth_registration, people):
    d = dossier_in(status, ward, birth_registration, people)
    assert allowed_actions(d, people[who]) == expected


def test_the_system_expires_a_supplement_request_only_after_its_deadline(ward, birth_registration, people):
    past = dossier_in(
        S.SUPPLEMENT_REQUESTED,
        ward,
        birth_registration,
        people,
        supplement_due_at=timezone.now() - timedelta(minutes=1),
    )
    assert allowed_actions(past, None) == ["expire_supplement"]
    assert "expire_supplement" not in allowed_actions(past, people["clerk"])


def test_forward_needs_a_next_step(ward, birth_registration, people):
    d = dossier_in(S.PROCESSING, ward, birth_registration, people)
    Dossier.objects.filter(pk=d.pk).update(current_step=d.steps.order_by("order").last())
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    assert "forward" not in allowed_actions(d, people["clerk"])


def test_only_the_holder_of_the_current_step_hands_over(ward, birth_registration, people):
    d = dossier_in(S.PROCESSING, ward, birth_registration, people)
    with pytest.raises(Conflict) as err:
        perform(d.code, "forward", people["handler"], {})
    assert err.value.code == "step_moved_on"
    assert "forward" not in err.value.extra["allowed_actions"]


def test_a_wrong_status_is_a_conflict_naming_the_allowed_actions(ward, birth_registration, people):
    d = dossier_in(S.RESOLVED, ward, birth_registration, people)
    with pytest.raises(Conflict) as err:
        perform(d.code, "forward", people["clerk"], {})
    assert err.value.status_code == 409
    assert err.value.extra == {"status": "resolved", "allowed_actions": ["return_result"]}


def test_a_wrong_role_is_forbidden_naming_the_allowed_actions(ward, birth_registration, people):
    d = dossier_in(S.PROCESSING, ward, birth_registration, people)
    with pytest.raises(Forbidden) as err:
        perform(d.code, "resolve", people["clerk"], {})
    assert err.value.status_code == 403
    assert err.value.extra["allowed_actions"] == RUNNING_STAFF["clerk"]


def test_the_competent_agency_acts_on_a_dossier_received_elsewhere(
    ward, province, birth_registration, people
):
    other = factories.agency(parent=province)
    other_leader = factories.user(role=Role.LEADER, agency=other)
    d = dossier_in(S.PROCESSING, ward, birth_registration, people, competent_agency=other)
    Dossier.objects.filter(pk=d.pk).update(current_step=d.steps.get(role=Role.LEADER))
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    assert "resolve" in allowed_actions(d, other_leader)
    # The receiving ward's leader is not competent for it.
    assert "resolve" not in allowed_actions(d, people["leader"])


def test_every_action_has_inputs_and_a_transition_on_the_model():
    field = Dossier._meta.get_field("status")
    names = {t.name for t in field.get_all_transitions(Dossier)}
    assert names == set(ACTIONS) == set(ACTION_INPUTS)


def test_the_graph_command_draws_every_action(capsys):
    call_command("graph_transitions", "dossiers.Dossier")
    dot = capsys.readouterr().out
    assert all(f"label={name}" in dot or f'label="{name}"' in dot for name in ACTIONS)
