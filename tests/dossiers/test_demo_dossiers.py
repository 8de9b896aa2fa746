"""Demo dossiers: made through the real services at past dates, across statuses, and only once."""

import io
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from accounts.demo import seed_demo_staff
from dossiers.models import Dossier, DossierEvent, Notification, OutboxMessage
from procedures.calendar import LOCAL_TZ
from seeds import demo_dossiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch):
    call_command("import_procedures", "seeds/procedures.csv", stdout=io.StringIO())
    seed_demo_staff()
    monkeypatch.setattr(demo_dossiers, "PER_WARD", 15)


def test_demo_dossiers_have_real_timelines_across_statuses(demo):
    out = io.StringIO()
    demo_dossiers.seed_demo_dossiers(out)

    dossiers = Dossier.objects.all()
    assert dossiers.count() >= 40
    assert len(set(dossiers.values_list("status", flat=True))) >= 5
    first_events = {
        e.dossier_id: e.action
        for e in DossierEvent.objects.order_by("dossier_id", "at", "id").distinct("dossier_id")
    }
    assert set(first_events.values()) <= {"receive", "submit"} and len(first_events) == dossiers.count()
    assert "Hồ sơ mẫu:" in out.getvalue()


def test_a_second_run_creates_nothing(demo):
    demo_dossiers.seed_demo_dossiers(io.StringIO())
    count = Dossier.objects.count()
    out = io.StringIO()
    demo_dossiers.seed_demo_dossiers(out)
    assert Dossier.objects.count() == count
    assert "bỏ qua" in out.getvalue()


def test_every_row_of_a_demo_dossier_is_dated_by_its_story_not_by_the_seeding(demo):
    seeded_at = datetime(2026, 3, 20, 16, 0, tzinfo=LOCAL_TZ)
    with time_machine.travel(seeded_at, tick=False):
        demo_dossiers.seed_demo_dossiers(io.StringIO())

    moments = defaultdict(set)
    for dossier_id, at in DossierEvent.objects.values_list("dossier_id", "at"):
        moments[dossier_id].add(at)
    assert max(max(ats) for ats in moments.values()) < seeded_at - timedelta(minutes=5)
    for d in Dossier.objects.all():
        assert (
            d.created_at == min(moments[d.pk]) == (d.received_at if d.channel != "online" else d.submitted_at)
        )
    inbox = Notification.objects.values_list("dossier_id", "created_at")
    outbox = OutboxMessage.objects.values_list("dossier_id", "created_at")
    assert inbox.exists() and outbox.exists()
    assert [row for row in [*inbox, *outbox] if row[1] not in moments[row[0]]] == []
