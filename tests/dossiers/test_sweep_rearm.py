"""A pause moves the due dates, so the deadline sweeps' markers that no longer hold are cleared on resume and
the sweeps flag the dossier (or step) again, once, against the new dates."""

from __future__ import annotations

import pytest
import time_machine

from dossiers.lifecycle.services import perform
from dossiers.lifecycle.sweeps import sweep_deadlines
from dossiers.models import Dossier, DossierStep, Notification
from tests.helpers import frozen_at as at

from .lifecycle import (
    MONDAY_9AM,
    intake,
    vn,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(clerk, handler, leader, ward, birth_registration):
    """Birth registration received Monday 2 March 2026 09:00, due Thursday 5 March 17:00; its steps are due
    Monday (intake), Wednesday (review), Thursday (approval, return)."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


@pytest.fixture
def processing(received, clerk):
    with at(2026, 3, 2, 10, 0):
        perform(received.code, "forward", clerk, {})
    return received


def sweep(*args) -> dict[str, int]:
    with at(*args):
        counts = sweep_deadlines()
    # Markers only: the digest and the badge tell people.
    assert not Notification.objects.filter(kind__in=["overdue", "due_soon", "step_overdue", "step_due_soon"])
    return counts


def test_an_overdue_dossier_paused_and_resumed_is_flagged_again_against_its_new_legal_due(
    processing, clerk, handler
):
    assert sweep(2026, 3, 5, 17, 5)["overdue_dossiers"] == 1
    with at(2026, 3, 5, 17, 10):
        perform(processing.code, "request_payment", handler, {"amount": 8000})
    with at(2026, 3, 9, 10, 0):  # Friday and Monday paused: legal due Monday 9 March 17:00
        d = perform(processing.code, "confirm_payment", clerk, {})

    d = Dossier.objects.get(pk=d.pk)
    assert d.legal_due_at == vn(2026, 3, 9, 17, 0)
    assert d.overdue_at is None
    # The review step, due Wednesday, moved to Friday 6 March: still overdue, so its marker stays.
    review = DossierStep.objects.get(dossier=d, order=2)
    assert review.due_at == vn(2026, 3, 6, 17, 0) and review.overdue_at is not None

    assert sweep(2026, 3, 9, 10, 5)["overdue_dossiers"] == 0
    assert sweep(2026, 3, 9, 17, 5)["overdue_dossiers"] == 1
    assert sweep(2026, 3, 9, 17, 10)["overdue_dossiers"] == 0
    assert Dossier.objects.get(pk=d.pk).overdue_at == vn(2026, 3, 9, 17, 5)


def test_an_overdue_step_paused_and_resumed_is_flagged_again_against_its_new_due(processing, clerk, handler):
    first = sweep(2026, 3, 4, 17, 5)  # the review step was due Wednesday 17:00
    assert first["overdue_steps"] == 1 and first["due_soon_dossiers"] == 1
    with at(2026, 3, 4, 17, 10):
        perform(processing.code, "request_payment", handler, {"amount": 8000})
    with at(2026, 3, 6, 10, 0):  # Thursday and Friday paused: the step is due Friday 17:00
        perform(processing.code, "confirm_payment", clerk, {})

    review = DossierStep.objects.get(dossier=processing, order=2)
    assert review.due_at == vn(2026, 3, 6, 17, 0) and review.overdue_at is None
    # The dossier, due Monday 9 March, is still within one working day: reminded already, not again.
    assert Dossier.objects.get(pk=processing.pk).due_soon_notified_at is not None

    assert sweep(2026, 3, 6, 10, 5)["overdue_steps"] == 0
    again = sweep(2026, 3, 6, 17, 5)
    assert again["overdue_steps"] == 1 and again["due_soon_dossiers"] == 0
    assert sweep(2026, 3, 6, 17, 10)["overdue_steps"] == 0


def test_a_supplement_asked_at_the_counter_after_intake_pauses_and_an_overdue_dossier_stays_overdue(
    received, clerk
):
    assert sweep(2026, 3, 4, 10, 0)["due_soon_dossiers"] == 1  # due Thursday 17:00
    assert sweep(2026, 3, 6, 9, 0)["overdue_dossiers"] == 1
    with at(2026, 3, 6, 10, 0):  # still at the counter, but complete at intake: a pause, not a restart
        perform(
            received.code, "request_supplement", clerk, {"missing": [{"name": "Tờ khai", "reason": "Sai"}]}
        )
    with at(2026, 3, 10, 10, 0):  # Tuesday: Monday 9 and Tuesday 10 were lost
        perform(received.code, "supplement", clerk, {})

    d = Dossier.objects.get(pk=received.pk)
    assert d.legal_due_at == d.due_at == vn(2026, 3, 9, 17, 0) and d.paused_working_days == 2
    assert d.overdue_at is not None and d.due_soon_notified_at is not None  # both still hold
    assert not any(sweep(2026, 3, 10, 10, 5).values())


def test_a_restarted_clock_counts_afresh_for_a_dossier_incomplete_at_intake(
    clerk, handler, leader, ward, birth_registration
):
    """Incomplete at intake: nothing is due while the citizen completes it; the clock then starts afresh."""
    first, second = birth_registration.requirements.order_by("order")
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = intake(
            clerk,
            ward,
            birth_registration,
            provided=[first.pk],
            missing=[{"requirement_id": second.pk, "reason": "Thiếu"}],
        )
    assert not any(sweep(2026, 3, 9, 10, 0).values())  # long past the first due date, but paused
    with at(2026, 3, 10, 10, 0):  # Tuesday: 3 working days from now, due Friday 13 March 17:00
        perform(d.code, "supplement", clerk, {"provided_requirement_ids": [second.pk]})

    d = Dossier.objects.get(pk=d.pk)
    assert d.legal_due_at == d.due_at == vn(2026, 3, 13, 17, 0)
    assert d.overdue_at is None and d.due_soon_notified_at is None
    assert sweep(2026, 3, 12, 10, 0)["due_soon_dossiers"] == 1
    assert sweep(2026, 3, 13, 17, 5)["overdue_dossiers"] == 1


def test_a_resume_leaves_markers_that_still_hold(processing, clerk, handler):
    """Paused and resumed the same day: nothing moves, nothing is sent twice."""
    sweep(2026, 3, 5, 17, 5)
    with at(2026, 3, 5, 17, 10):
        perform(processing.code, "request_payment", handler, {"amount": 8000})
    with at(2026, 3, 5, 17, 20):
        perform(processing.code, "confirm_payment", clerk, {})
    d = Dossier.objects.get(pk=processing.pk)
    assert d.overdue_at == vn(2026, 3, 5, 17, 5) and d.due_soon_notified_at is not None
    assert not any(sweep(2026, 3, 6, 9, 0).values())
