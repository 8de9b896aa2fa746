"""Two counters pressing "call next" at the same instant on real PostgreSQL: never the same ticket."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from accounts.models import Role
from config.errors import Conflict
from dossiers.models import Ticket
from dossiers.queueing import services
from tests import factories

from .queue import hall
from .test_services_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_counters_calling_at_once_get_two_different_tickets(flushable_event_log, ward, clerk):
    queue = hall(ward)
    second_clerk = factories.user(role=Role.CLERK, agency=ward)
    for _ in range(2):
        services.issue_ticket(queue.civil)
    for _round in range(5):
        results, errors = race(
            lambda: services.call_next(queue.one, clerk), lambda: services.call_next(queue.two, second_clerk)
        )
        assert not errors, errors
        assert len({t.pk for t in results}) == 2
        called = Ticket.objects.filter(status=Ticket.Status.CALLED)
        assert called.count() == 2 and {t.counter_id for t in called} == {queue.one.pk, queue.two.pk}
        for counter, user in ((queue.one, clerk), (queue.two, second_clerk)):
            services.finish(counter, user)
        for _ in range(2):
            services.issue_ticket(queue.civil)


def test_a_counter_does_not_wait_for_the_ticket_another_counter_is_calling(flushable_event_log, ward, clerk):
    """Counter one holds its call open (not yet committed); counter two gets the next ticket at once."""
    queue = hall(ward)
    second_clerk = factories.user(role=Role.CLERK, agency=ward)
    first, second = services.issue_ticket(queue.civil), services.issue_ticket(queue.civil)
    one_called, two_done = threading.Event(), threading.Event()
    got = {}

    def counter_one():
        try:
            with transaction.atomic():
                got["one"] = services.call_next(queue.one, clerk)
                one_called.set()
                got["two_before_one_committed"] = two_done.wait(timeout=5)
        finally:
            connection.close()

    def counter_two():
        try:
            one_called.wait(timeout=5)
            got["two"] = services.call_next(queue.two, second_clerk)
        except Conflict as exc:
            got["two"] = exc
        finally:
            two_done.set()
            connection.close()

    threads = [threading.Thread(target=counter_one), threading.Thread(target=counter_two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got["one"].pk == first.pk
    assert getattr(got["two"], "pk", None) == second.pk
    assert got["two_before_one_committed"]


def test_the_last_waiting_ticket_goes_to_one_counter_and_the_other_hears_nobody_waits(
    flushable_event_log, ward, clerk
):
    queue = hall(ward)
    second_clerk = factories.user(role=Role.CLERK, agency=ward)
    services.issue_ticket(queue.civil)
    results, errors = race(
        lambda: services.call_next(queue.one, clerk), lambda: services.call_next(queue.two, second_clerk)
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict) and errors[0].code == "queue_empty"


def test_numbers_issued_at_once_are_all_different(flushable_event_log, ward):
    queue = hall(ward)
    results, errors = race(*[lambda: services.issue_ticket(queue.civil) for _ in range(6)])
    assert not errors, errors
    assert sorted(t.number for t in results) == [1, 2, 3, 4, 5, 6]
