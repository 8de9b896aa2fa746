"""The electronic result is driven by the database: a resolve never fails for the broker, and a pending result
whose task was lost (lease run out) is queued again by the results sweep and issued exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dossiers.documents import issuing
from dossiers.documents.issuing import issue_result_document, queue_due_results
from dossiers.lifecycle.actions import perform
from dossiers.models import Document, Dossier, Outcome, Status
from dossiers.tasks.results import issue_result
from tests import factories
from tests.helpers import client_for

from .test_services_concurrency import race

PENDING, DONE = Dossier.EResult.PENDING, Dossier.EResult.DONE


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
def queued(monkeypatch):
    """What the results sweep and resolve hand to the broker (dossier ids), the broker always taking them."""
    sent: list[int] = []

    def enqueue(name, *args, **kwargs):
        assert name == issuing.ISSUE_RESULT_TASK
        sent.append(args[0])
        return True

    monkeypatch.setattr(issuing, "enqueue", enqueue)
    return sent


def processing(ward, procedure):
    return factories.dossier(procedure=procedure, agency=ward, status=Status.PROCESSING)


def pending(ward, procedure, lease_end):
    return factories.dossier(
        procedure=procedure,
        agency=ward,
        status=Status.RESOLVED,
        outcome=Outcome.APPROVED,
        e_result_status=PENDING,
        e_result_claimed_until=lease_end,
    )


@pytest.mark.django_db
def test_resolve_through_the_api_succeeds_with_the_broker_down(
    broker_down, leader, ward, birth_registration, django_capture_on_commit_callbacks, caplog
):
    d = processing(ward, birth_registration)
    factories.result_draft(d, leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            f"/api/v1/dossiers/{d.code}/actions/resolve/",
            {"outcome": "approved", "draft_version": 1},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert "could not enqueue dossiers.issue_result" in caplog.text
    d = Dossier.objects.get(pk=d.pk)
    assert d.status == Status.RESOLVED and d.e_result_status == PENDING
    assert d.e_result_claimed_until <= timezone.now()  # no task on its way: the next sweep issues it
    assert d.events.filter(action="resolve").count() == 1


@pytest.mark.django_db
def test_resolve_on_the_desk_page_succeeds_with_the_broker_down(
    broker_down, client, leader, ward, birth_registration, django_capture_on_commit_callbacks
):
    d = processing(ward, birth_registration)
    factories.result_draft(d, leader)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dossiers/{d.code}/actions/resolve/", {"outcome": "approved", "draft_version": "1"}, follow=True
        )
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0] == f"/dossiers/{d.code}/"
    assert Dossier.objects.get(pk=d.pk).status == Status.RESOLVED


@pytest.mark.django_db
def test_resolve_leases_the_result_to_its_queued_task(
    leader, ward, birth_registration, queued, django_capture_on_commit_callbacks, settings
):
    d = processing(ward, birth_registration)
    factories.result_draft(d, leader)
    with django_capture_on_commit_callbacks(execute=True):
        perform(d.code, "resolve", leader, {"outcome": Outcome.APPROVED, "draft_version": 1})
    d = Dossier.objects.get(pk=d.pk)
    lease_left = (d.e_result_claimed_until - timezone.now()).total_seconds()
    assert settings.E_RESULT_LEASE_SECONDS - 5 < lease_left <= settings.E_RESULT_LEASE_SECONDS
    assert queued == [d.pk]
    assert queue_due_results() == 0  # its task is trusted while the lease lasts
    assert queued == [d.pk]


@pytest.mark.django_db
def test_the_sweep_queues_only_pending_results_whose_lease_ran_out(ward, birth_registration, queued):
    now = timezone.now()
    lost = pending(ward, birth_registration, now - timedelta(seconds=1))
    never_leased = pending(ward, birth_registration, None)
    pending(ward, birth_registration, now + timedelta(minutes=5))  # its task is on its way
    factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RESOLVED,
        outcome=Outcome.APPROVED,
        e_result_status=DONE,
    )
    assert queue_due_results() == 2
    assert sorted(queued) == sorted([lost.pk, never_leased.pk])
    assert queue_due_results() == 0  # leased again to the tasks just queued
    lost = Dossier.objects.get(pk=lost.pk)
    assert lost.e_result_claimed_until > timezone.now()


@pytest.mark.django_db
def test_a_result_the_broker_refused_is_swept_at_the_next_run(broker_down, ward, birth_registration):
    d = pending(ward, birth_registration, timezone.now() - timedelta(seconds=1))
    assert queue_due_results() == 0  # the broker refused it again: the lease ends at once
    d = Dossier.objects.get(pk=d.pk)
    assert d.e_result_claimed_until <= timezone.now()


@pytest.mark.django_db
def test_a_failing_attempt_keeps_the_lease_over_its_retry_wait(
    settings, tmp_path, media_root, ward, birth_registration, monkeypatch
):
    settings.SIGNING_DIR = tmp_path / "empty"  # no certificate: the attempt fails
    d = pending(ward, birth_registration, timezone.now() - timedelta(seconds=1))
    leases = []
    monkeypatch.setattr(issuing, "hold_result", lambda pk, seconds: leases.append(seconds))
    assert issue_result.apply(args=[d.pk]).failed()
    assert len(leases) == 5  # one per retry, then the failure is recorded and the sweep leaves it
    d = Dossier.objects.get(pk=d.pk)
    assert d.e_result_status == Dossier.EResult.FAILED and d.e_result_claimed_until is None


@pytest.mark.django_db
def test_the_sweep_is_a_fixed_number_of_queries(ward, birth_registration, queued, django_assert_num_queries):
    for _ in range(5):
        pending(ward, birth_registration, None)
    with django_assert_num_queries(4):  # savepoint, claim, lease, release (one batch)
        assert queue_due_results() == 5


@pytest.mark.django_db
def test_the_sweep_reads_the_partial_index_of_pending_results(ward, birth_registration):
    pending(ward, birth_registration, None)
    sql, params = (
        Dossier.objects.filter(issuing.due_results(timezone.now()))
        .order_by("e_result_claimed_until")
        .values_list("pk", flat=True)[:100]
        .query.sql_with_params()
    )
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "dossier_e_result_pending" in plan


@pytest.mark.django_db(transaction=True)
def test_the_sweeps_task_and_a_duplicate_at_once_store_one_signed_result(
    flushable_event_log, pki, media_root, ward, birth_registration
):
    d = pending(ward, birth_registration, None)
    results, errors = race(*[lambda: issue_result_document(d.pk)] * 3)
    assert errors == []
    assert len({doc.pk for doc in results}) == 1
    assert Document.objects.filter(dossier=d, kind=Document.Kind.RESULT).count() == 1
    assert d.events.filter(action="result_issued").count() == 1
    assert Dossier.objects.get(pk=d.pk).e_result_status == DONE
