"""Queue tickets: numbering per area and local day, the counter's steps and their timings, the log, the
dossier link, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import Role
from config.errors import Conflict, Forbidden, InvalidInput, NotFound
from dossiers.models import Ticket, TicketEvent
from dossiers.queueing import services
from tests import factories
from tests.helpers import vn

from .lifecycle import intake
from .queue import hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(ward):
    return hall(ward)


@pytest.mark.parametrize(
    ("first", "second", "numbers"),
    [
        # the same local day, across the UTC midnight (07:00 in Hà Nội)
        (vn(2026, 3, 2, 6, 59), vn(2026, 3, 2, 7, 1), (1, 2)),
        # local midnight: the second number of the 3rd is 1 again
        (vn(2026, 3, 2, 23, 59), vn(2026, 3, 3, 0, 0), (1, 1)),
        (vn(2026, 3, 2, 8, 0), vn(2026, 3, 2, 16, 30), (1, 2)),
    ],
)
def test_numbers_run_per_area_and_start_again_at_local_midnight(queue, first, second, numbers):
    a = services.issue_ticket(queue.civil, at=first)
    b = services.issue_ticket(queue.civil, at=second)
    assert (a.number, b.number) == numbers
    assert b.day == second.date()


def test_each_area_has_its_own_numbers_and_letter(queue):
    at = vn(2026, 3, 2, 8, 0)
    a1 = services.issue_ticket(queue.civil, at=at)
    b1 = services.issue_ticket(queue.certify, at=at)
    a2 = services.issue_ticket(queue.civil, at=at)
    assert [t.label for t in (a1, b1, a2)] == ["A-001", "B-001", "A-002"]


def test_every_ticket_has_its_own_unguessable_token(queue):
    tokens = {services.issue_ticket(queue.civil).token for _ in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 20 for t in tokens)


def test_an_unknown_or_closed_area_or_another_agencys_area_issues_nothing(queue, ward, province):
    other = factories.agency(parent=province)
    queue.certify.active = False
    queue.certify.save()
    for area, agency_id in [(queue.certify, None), (999_999, None), ("x", None), (queue.civil, other.pk)]:
        with pytest.raises(InvalidInput):
            services.issue_ticket(area, agency_id=agency_id)
    assert not Ticket.objects.exists()


def test_a_signed_in_issuer_must_be_staff_of_the_agency(queue, province):
    stranger = factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    with pytest.raises(Forbidden):
        services.issue_ticket(queue.civil, actor=stranger)


def test_the_counter_calls_the_oldest_waiting_ticket_of_its_areas(queue, clerk):
    at = vn(2026, 3, 2, 8, 0)
    b1 = services.issue_ticket(queue.certify, at=at)
    services.issue_ticket(queue.civil, at=at + timedelta(minutes=1))
    called = services.call_next(queue.one, clerk, at=at + timedelta(minutes=5))
    assert called.pk == b1.pk
    assert (called.status, called.counter, called.served_by) == ("called", queue.one, clerk)
    queue.one.refresh_from_db()
    assert queue.one.clerk == clerk


def test_a_counter_only_calls_numbers_of_its_own_areas(queue, clerk):
    queue.two.areas.set([queue.certify])
    services.issue_ticket(queue.civil)
    with pytest.raises(Conflict) as refused:
        services.call_next(queue.two, clerk)
    assert refused.value.code == "queue_empty"


def test_timings_are_recorded_and_every_step_is_logged(queue, clerk):
    t0 = vn(2026, 3, 2, 8, 0)
    ticket = services.issue_ticket(queue.civil, at=t0)
    services.call_next(queue.one, clerk, at=t0 + timedelta(minutes=12))
    services.recall(queue.one, clerk, at=t0 + timedelta(minutes=13))
    services.start_service(queue.one, clerk, at=t0 + timedelta(minutes=14))
    services.finish(queue.one, clerk, at=t0 + timedelta(minutes=24))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.DONE
    assert ticket.called_at - ticket.issued_at == timedelta(minutes=12)
    assert ticket.finished_at - ticket.service_started_at == timedelta(minutes=10)
    assert ticket.recalled_at == t0 + timedelta(minutes=13)
    log = list(TicketEvent.objects.filter(ticket=ticket).values_list("action", "actor_id", "counter_id"))
    assert log == [
        ("issue", None, None),
        *[(action, clerk.pk, queue.one.pk) for action in ("call", "recall", "start", "finish")],
    ]


def test_a_called_number_nobody_answers_is_marked_absent(queue, clerk):
    services.issue_ticket(queue.civil)
    services.call_next(queue.one, clerk)
    ticket = services.mark_no_show(queue.one, clerk)
    assert ticket.status == Ticket.Status.NO_SHOW and ticket.finished_at is not None
    with pytest.raises(Conflict):
        services.recall(queue.one, clerk)  # nothing called any more


def test_the_counter_finishes_its_number_before_calling_the_next(queue, clerk):
    services.issue_ticket(queue.civil)
    services.issue_ticket(queue.civil)
    services.call_next(queue.one, clerk)
    with pytest.raises(Conflict) as refused:
        services.call_next(queue.one, clerk)
    assert refused.value.code == "counter_busy"


@pytest.mark.parametrize("step", ["recall", "start_service", "finish", "mark_no_show"])
def test_steps_need_a_called_number(queue, clerk, step):
    with pytest.raises(Conflict):
        getattr(services, step)(queue.one, clerk)


@pytest.mark.parametrize("role", [Role.HANDLER, Role.LEADER, Role.SUPERVISOR])
def test_only_a_clerk_of_the_agency_works_a_counter(queue, ward, role):
    services.issue_ticket(queue.civil)
    with pytest.raises(Forbidden):
        services.call_next(queue.one, factories.user(role=role, agency=ward))


def test_another_agencys_counter_is_not_found(queue, province):
    stranger = factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    services.issue_ticket(queue.civil)
    with pytest.raises(NotFound):
        services.call_next(queue.one, stranger)
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_the_dossier_received_is_linked_to_the_ticket_being_served(queue, clerk, ward, birth_registration):
    ticket = services.issue_ticket(queue.civil)
    services.call_next(queue.one, clerk)
    services.start_service(queue.one, clerk)
    dossier = intake(clerk, ward, birth_registration)
    linked = services.link_serving_ticket(clerk, dossier)
    assert linked.pk == ticket.pk
    ticket.refresh_from_db()
    assert ticket.dossier == dossier
    assert TicketEvent.objects.filter(ticket=ticket, action="link").get().payload == {"dossier": dossier.code}
    # a second dossier of the same visit leaves the link to the first
    assert services.link_serving_ticket(clerk, intake(clerk, ward, birth_registration)) is None


def test_no_ticket_is_linked_when_the_clerk_serves_none(queue, clerk, ward, birth_registration):
    services.issue_ticket(queue.civil)
    assert services.link_serving_ticket(clerk, intake(clerk, ward, birth_registration)) is None
    assert Ticket.objects.get().dossier is None


def test_a_ticket_is_never_linked_to_another_agencys_dossier(
    queue, clerk, ward, province, birth_registration
):
    other = factories.agency(parent=province)
    factories.user(role=Role.CLERK, agency=other)
    foreign = factories.dossier(procedure=birth_registration, agency=other)
    services.issue_ticket(queue.civil)
    ticket = services.call_next(queue.one, clerk)
    with pytest.raises(InvalidInput):
        services.link_dossier(ticket, foreign, clerk)


def test_the_ticket_log_is_append_only(queue):
    from django.db import DatabaseError, transaction

    services.issue_ticket(queue.civil)
    with pytest.raises(DatabaseError), transaction.atomic():
        TicketEvent.objects.update(action="tampered")
