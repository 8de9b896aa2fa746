"""Desk queues: which dossier lands in which tab, counts in one query, scoped, constant queries per page."""

from __future__ import annotations

import pytest
import time_machine

from accounts.models import Role
from dossiers.models import Channel, Dossier, Status
from dossiers.selectors.queues import QUEUES, queue_counts, queue_dossiers, queues_for
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, vn

pytestmark = pytest.mark.django_db

# Frozen at Monday 2026-03-02 09:00; the next working day ends Tuesday 17:00. The deadline rules themselves
# are tabulated in test_deadline_predicates.py; these cases place rows in tabs.
CASES = [
    # (status, due_at, channel, queues it belongs to for the clerk)
    (Status.SUBMITTED, None, Channel.ONLINE, {"to_receive"}),
    (Status.RECEIVED, vn(2026, 3, 5, 17), Channel.COUNTER, {"in_progress", "mine"}),
    (Status.PROCESSING, vn(2026, 3, 3, 17), Channel.COUNTER, {"in_progress", "due_soon"}),
    (Status.PROCESSING, vn(2026, 3, 2, 17), Channel.COUNTER, {"in_progress", "due_soon"}),
    (Status.PROCESSING, vn(2026, 3, 4, 17), Channel.COUNTER, {"in_progress"}),
    (Status.PROCESSING, vn(2026, 2, 27, 17), Channel.COUNTER, {"in_progress", "overdue"}),
    (Status.SUPPLEMENT_REQUESTED, vn(2026, 2, 27, 17), Channel.COUNTER, {"supplement"}),
    (Status.AWAITING_PAYMENT, vn(2026, 3, 5, 17), Channel.COUNTER, {"in_progress"}),
    (Status.RESOLVED, vn(2026, 3, 5, 17), Channel.COUNTER, {"to_return"}),
    (Status.RETURNED, vn(2026, 2, 27, 17), Channel.COUNTER, set()),
    (Status.WITHDRAWN, vn(2026, 2, 27, 17), Channel.COUNTER, set()),
]


@pytest.mark.parametrize(("status", "due_at", "channel", "expected"), CASES)
def test_each_dossier_lands_in_its_tabs(clerk, ward, birth_registration, status, due_at, channel, expected):
    with time_machine.travel(MONDAY_9AM, tick=False):
        assignee = clerk if "mine" in expected else None
        d = factories.dossier(
            procedure=birth_registration,
            agency=ward,
            status=status,
            due_at=due_at,
            channel=channel,
            received_at=vn(2026, 2, 20, 9),
            submitted_at=vn(2026, 2, 20, 9),
            assignee=assignee,
        )
        if due_at is None:
            Dossier.objects.filter(pk=d.pk).update(due_at=None)
        found = {q.name for q in queues_for(clerk) if queue_dossiers(clerk, q).filter(pk=d.pk).exists()}
        counts = queue_counts(clerk, queues_for(clerk))

    assert found == expected
    assert {name for name, n in counts.items() if n} == expected


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        (Role.CLERK, ["to_receive", "mine", "in_progress", "due_soon", "overdue", "supplement", "to_return"]),
        (Role.HANDLER, ["mine", "in_progress", "due_soon", "overdue", "supplement"]),
        (Role.LEADER, ["mine", "to_approve", "in_progress", "due_soon", "overdue"]),
        (Role.SUPERVISOR, []),
    ],
)
def test_tabs_follow_the_role(ward, role, tabs):
    user = factories.user(role=role, agency=ward)

    assert [q.name for q in queues_for(user)] == tabs


def test_leader_sees_what_waits_for_approval(ward, leader, birth_registration):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    other = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    Dossier.objects.filter(pk=d.pk).update(current_step=d.steps.get(role="leader"))
    Dossier.objects.filter(pk=other.pk).update(current_step=other.steps.get(role="handler"))

    assert list(queue_dossiers(leader, QUEUES["to_approve"]).values_list("pk", flat=True)) == [d.pk]


def test_other_wards_dossiers_stay_out(clerk, province, birth_registration):
    elsewhere = factories.agency(parent=province)
    factories.dossier(procedure=birth_registration, agency=elsewhere, status=Status.PROCESSING)

    assert queue_counts(clerk, queues_for(clerk))["in_progress"] == 0


def test_counts_are_one_query(clerk, ward, birth_registration, django_assert_num_queries):
    for status in (Status.SUBMITTED, Status.PROCESSING, Status.RESOLVED):
        factories.dossier(procedure=birth_registration, agency=ward, status=status)
    tabs = queues_for(clerk)

    with django_assert_num_queries(1):  # every count in one aggregate (queues_for read the agencies)
        counts = queue_counts(clerk, tabs)
    assert counts["to_receive"] == counts["in_progress"] == counts["to_return"] == 1


def _rows(n, ward, procedure):
    for _ in range(n):
        factories.dossier(procedure=procedure, agency=ward, status=Status.PROCESSING)


def test_queue_page_queries_do_not_grow_with_rows(
    client, clerk, ward, birth_registration, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _rows(3, ward, birth_registration)
    client.force_login(clerk)
    client.get("/desk/q/in_progress/")  # the working-day calendar is loaded once per process
    with CaptureQueriesContext(connection) as three:
        assert client.get("/desk/q/in_progress/").content.decode().count('href="/dossiers/') == 3
    _rows(27, ward, birth_registration)

    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get("/desk/q/in_progress/")

    assert response.content.decode().count('href="/dossiers/') == 30
    # 11 statements in service; inside the test's transaction the page's atomic block adds a savepoint pair
    assert len(three.captured_queries) <= 13


def test_queue_pages_hold_fifty(client, clerk, ward, birth_registration):
    _rows(51, ward, birth_registration)
    client.force_login(clerk)

    first = client.get("/desk/q/in_progress/")
    second = client.get("/desk/q/in_progress/?page=2")

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1
    assert 'data-count="in_progress">51<' in first.content.decode()


def test_unknown_or_foreign_tab_is_not_found(client, handler):
    client.force_login(handler)

    assert client.get("/desk/q/to_return/").status_code == 404
    assert client.get("/desk/q/nope/").status_code == 404
    assert client.get("/desk/").url == "/desk/q/mine/"


@pytest.mark.parametrize("queue", ["overdue", "due_soon", "to_return", "supplement"])
def test_queue_query_can_be_served_by_an_index(clerk, ward, birth_registration, queue):
    from django.db import connection

    _rows(3, ward, birth_registration)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: ask whether an index can serve it
    plan = queue_dossiers(clerk, QUEUES[queue]).explain()

    assert "Index" in plan
    assert "Seq Scan on dossiers_dossier" not in plan
