"""On the real broker: beat triggers the sweep in a live worker, and the outbox is drained after a broker
outage at commit time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.sweeps import daily_digest
from dossiers.models import Dossier, OutboxMessage, Status
from procedures.calendar import calendar, local
from tests import factories
from tests.conftest_worker import wait_until
from tests.helpers import vn
from tests.notify_worker import beat_worker  # noqa: F401


@pytest.mark.worker
def test_beat_sweeps_and_the_outbox_delivers(
    beat_worker,  # noqa: F811
    settings,
    ward,
    handler,
    leader,
    clerk,
    birth_registration,
):
    handler.email = "handler@example.gov.vn"
    handler.save()
    now = timezone.now()
    late = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.PROCESSING,
        assignee=handler,
        received_at=now - timedelta(days=10),
        due_at=now - timedelta(hours=1),
    )

    # Beat sends the sweep every second; the worker marks the dossier.
    assert wait_until(lambda: Dossier.objects.filter(pk=late.pk, overdue_at__isnull=False).exists(), 60), (
        "".join(beat_worker.log[-40:])
    )
    log = "".join(beat_worker.log)
    assert "Sending due task sweep-deadlines (dossiers.sweep_deadlines)" in log
    # The handler's digest (written here on a working day) is delivered by the beat's periodic drain.
    day = calendar.next_working_day(local(now).date())
    assert daily_digest(vn(day.year, day.month, day.day, 7, 30)) >= 1
    sent = wait_until(
        lambda: OutboxMessage.objects.filter(
            recipient=handler.email, payload__kind="digest", status="sent"
        ).exists(),
        30,
    )
    assert sent, "".join(beat_worker.log[-40:])

    # The broker is unreachable when a change commits: the change stands, the message waits in the outbox,
    # and the beat's periodic drain delivers it.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # config.jobs publishes there; nothing listens
    fresh = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_email="binh@example.vn"
    )
    record_event(fresh, "receive", actor=clerk)  # autocommit: on_commit runs at once and fails quietly
    message = OutboxMessage.objects.get(dossier=fresh, channel="email")
    assert wait_until(lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").exists(), 30), (
        "".join(beat_worker.log[-40:])
    )
    assert Dossier.objects.filter(pk=late.pk).count() == 1
