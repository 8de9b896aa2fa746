"""The link-health page ("Kết nối"): states from the links' rows, queues and dead messages from the outbox,
the retry of a link's dead messages, who may see and do it, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from accounts.models import Role
from dossiers.models import NationalLink, OutboxMessage
from dossiers.national.health import state_of
from tests import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def link(**values) -> NationalLink:
    return NationalLink(name="population", **values)


@pytest.mark.parametrize(
    "values, state",
    [
        ({}, "never_used"),
        ({"calls": 3, "last_success_at": NOW}, "working"),
        ({"calls": 3, "last_success_at": NOW, "last_failure_at": NOW - timedelta(days=1)}, "working"),
        ({"calls": 3, "last_success_at": NOW, "last_failure_at": NOW - timedelta(minutes=5)}, "degraded"),
        ({"calls": 3, "consecutive_failures": 1, "last_failure_at": NOW - timedelta(days=1)}, "degraded"),
        ({"calls": 3, "consecutive_failures": 3, "last_failure_at": NOW - timedelta(hours=1)}, "down"),
        ({"calls": 3, "consecutive_failures": 3, "open_until": NOW + timedelta(seconds=20)}, "circuit_open"),
        ({"calls": 3, "consecutive_failures": 3, "open_until": NOW - timedelta(seconds=1)}, "down"),
    ],
)
def test_a_links_state_follows_its_row(values, state, settings):
    settings.NATIONAL_BREAKER_FAILURES = 3
    settings.LINK_RECENT_FAILURE_SECONDS = 900
    assert state_of(link(**values), NOW) == state


def message(channel: str, status: str, n: int, **kw) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=channel, recipient=f"r{n}", status=status, dedupe_key=f"{channel}:{status}:{n}", **kw
    )


@pytest.fixture
def outbox_rows():
    for i in range(4):
        message("dvcqg", "pending", i)
    for i in range(7):
        message("dvcqg", "dead", i, attempts=8, last_error=f"HTTP 503 lần {i}")
    message("emc", "dead", 0, attempts=8, last_error="Timeout")
    message("sms", "sent", 0)
    message("email", "dead", 0)  # not a national link's channel
    now = timezone.now()
    NationalLink.objects.filter(name="dvcqg").update(
        calls=20,
        failures=8,
        consecutive_failures=8,
        last_failure_at=now,
        last_error="HTTP 503: bảo trì",
        open_until=now + timedelta(seconds=30),
    )
    NationalLink.objects.filter(name="population").update(calls=50, last_success_at=now)


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


def test_the_page_shows_each_link_with_its_state_queue_and_dead_messages(
    supervisor_client, outbox_rows, django_assert_num_queries
):
    # session, user, memberships, outbox counts, dead messages, links, the menu's roles, unread notifications
    with django_assert_num_queries(8):
        response = supervisor_client.get("/ket-noi/")
    html = response.content.decode()
    assert response.status_code == 200
    rows = {name: html.split(f'id="link-{name}"')[1].split("</tr>")[0] for name in NationalLink.Name.values}
    assert 'data-state="circuit_open"' in rows["dvcqg"] and "HTTP 503: bảo trì" in rows["dvcqg"]
    assert "<td>4</td>" in rows["dvcqg"] and "Gửi lại 7 thư" in rows["dvcqg"]
    assert rows["dvcqg"].count("<li>") == 5  # the newest five listed, all seven retried
    assert 'data-state="working"' in rows["population"] and "<td>—</td>" in rows["population"]
    assert 'data-state="never_used"' in rows["emc"] and "Gửi lại 1 thư" in rows["emc"]
    assert "<td>0</td>" in rows["sms"] and "Gửi lại" not in rows["sms"]


def test_the_query_count_does_not_grow_with_the_messages(
    supervisor_client, outbox_rows, django_assert_num_queries
):
    for i in range(30):
        message("zalo", "dead", i)
        message("emc", "pending", i)
    with django_assert_num_queries(8):
        assert supervisor_client.get("/ket-noi/").status_code == 200


def test_retrying_a_links_dead_messages_makes_them_pending_and_is_audited(
    supervisor_client, supervisor, outbox_rows
):
    response = supervisor_client.post("/ket-noi/gui-lai/", {"link": "dvcqg"})
    assert response.status_code == 302 and response["Location"] == "/ket-noi/"
    dvcqg = OutboxMessage.objects.filter(channel="dvcqg")
    assert (
        dvcqg.filter(status="dead").count() == 0 and dvcqg.filter(status="pending", attempts=0).count() == 11
    )
    assert OutboxMessage.objects.get(channel="emc").status == "dead"  # another link's are left alone
    entries = LogEntry.objects.filter(user=supervisor)
    assert entries.count() == 7 and "Kết nối" in entries.first().change_message


def test_an_unknown_link_is_a_clear_message_not_an_error(supervisor_client):
    response = supervisor_client.post("/ket-noi/gui-lai/", {"link": "population"}, follow=True)
    assert response.status_code == 200 and "không có thư để gửi lại" in response.content.decode()


@pytest.mark.parametrize(
    "role, allowed",
    [
        (Role.CLERK, False),
        (Role.HANDLER, False),
        (Role.LEADER, False),
        (Role.CITIZEN, False),
        (Role.SUPERVISOR, True),
        (Role.ADMIN, True),
    ],
)
def test_only_administrators_and_supervisors_see_and_retry(client, ward, outbox_rows, role, allowed):
    client.force_login(factories.user(role=role, agency=ward))
    page = client.get("/ket-noi/")
    retry = client.post("/ket-noi/gui-lai/", {"link": "dvcqg"})
    assert page.status_code == (200 if allowed else 403)
    assert retry.status_code == (302 if allowed else 403)
    dead = OutboxMessage.objects.filter(channel="dvcqg", status="dead").count()
    assert dead == (0 if allowed else 7)
    nav = client.get("/inbox/").content.decode()
    assert ('href="/ket-noi/"' in nav) is allowed


def test_retry_needs_a_post_with_the_csrf_token(supervisor, outbox_rows):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(supervisor)
    assert strict.post("/ket-noi/gui-lai/", {"link": "dvcqg"}).status_code == 403
    assert strict.get("/ket-noi/gui-lai/").status_code == 405
    assert OutboxMessage.objects.filter(channel="dvcqg", status="dead").count() == 7
