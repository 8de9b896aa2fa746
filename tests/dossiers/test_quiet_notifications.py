"""Deadline notices are grouped: the live badge, the inbox's "Cần chú ý" list and the daily digest read the
same reminders; each notification links to its dossier."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dossiers.lifecycle.sweeps import daily_digest, sweep_deadlines
from dossiers.models import Notification, Status
from tests import factories
from tests.helpers import vn

pytestmark = pytest.mark.django_db

FRIDAY = vn(2026, 11, 20, 7, 30)


def running(procedure, ward, handler, due, **kw):
    return factories.dossier(
        procedure=procedure,
        agency=ward,
        status=Status.PROCESSING,
        received_at=due - timedelta(days=10),
        due_at=due,
        legal_due_at=kw.pop("legal", due),
        assignee=handler,
        **kw,
    )


@pytest.fixture
def busy_handler(birth_registration, ward, handler, clerk):
    """Two of the handler's dossiers late, one due soon, one far off; another official's late one."""
    late = [running(birth_registration, ward, handler, vn(2026, 11, 18, 17, 0)) for _ in range(2)]
    soon = running(birth_registration, ward, handler, vn(2026, 11, 23, 17, 0))
    running(birth_registration, ward, handler, vn(2026, 12, 30, 17, 0))
    running(birth_registration, ward, clerk, vn(2026, 11, 18, 17, 0))
    return late, soon


def test_a_day_of_deadlines_gives_one_digest_and_no_message_per_step(busy_handler, handler, client):
    late, soon = busy_handler
    for d in late:  # the steps are late too
        step = d.steps.get(order=2)
        step.started_at, step.assignee, step.due_at = vn(2026, 11, 16, 9, 0), handler, vn(2026, 11, 17, 17, 0)
        step.save()
    for hour in range(8, 17):  # the sweep runs all day
        with time_machine.travel(vn(2026, 11, 19, hour, 0), tick=False):
            sweep_deadlines()
    assert not Notification.objects.filter(user=handler).exists()
    with time_machine.travel(FRIDAY, tick=False):
        daily_digest()
        daily_digest()
    digest = Notification.objects.get(user=handler)
    assert digest.kind == "digest"
    codes = [i["code"] for i in digest.items]
    assert sorted(codes) == sorted([late[0].code, late[0].code, late[1].code, late[1].code, soon.code])

    client.force_login(handler)
    page = client.get("/inbox/").content.decode()
    for d in (*late, soon):
        assert f'href="/dossiers/{d.code}/"' in page


def test_the_badge_counts_what_needs_the_users_attention_now(
    busy_handler, handler, client, django_assert_num_queries
):
    client.force_login(handler)
    with time_machine.travel(FRIDAY, tick=False):
        client.get("/inbox/badge/")  # session and user loaded once
        with django_assert_num_queries(6):  # session, user, roles, unread, dossiers, steps
            response = client.get("/inbox/badge/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "⏰ 3" in html and 'hx-trigger="load delay:1s, every 60s"' in html


def test_the_badge_is_quiet_when_nothing_is_due(birth_registration, ward, handler, client):
    running(birth_registration, ward, handler, timezone.now() + timedelta(days=30))
    client.force_login(handler)
    assert "⏰" not in client.get("/inbox/badge/").content.decode()


def test_every_staff_page_polls_the_badge(handler, client):
    client.force_login(handler)
    assert 'hx-get="/inbox/badge/"' in client.get("/desk/", follow=True).content.decode()


def test_the_inbox_lists_what_needs_attention_with_links(busy_handler, handler, client):
    late, soon = busy_handler
    client.force_login(handler)
    with time_machine.travel(FRIDAY, tick=False):
        page = client.get("/inbox/").content.decode()
    assert "Cần chú ý" in page
    assert page.index(late[0].code) < page.index(soon.code)  # the late ones first
    assert page.count('href="/dossiers/') == 3


def test_the_badge_needs_sign_in(client):
    assert client.get("/inbox/badge/").status_code == 302


def test_a_notification_about_a_dossier_links_to_it(birth_registration, ward, handler, client):
    d = running(birth_registration, ward, handler, vn(2026, 12, 30, 17, 0))
    Notification.objects.create(user=handler, dossier=d, kind="assigned", title="Được giao xử lý")
    client.force_login(handler)
    assert f'href="/dossiers/{d.code}/"' in client.get("/inbox/").content.decode()
