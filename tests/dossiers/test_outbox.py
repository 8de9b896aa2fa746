"""The outbox: written with the event, drained with retries and backoff, dead-lettered, retried from admin,
and never lost when the broker is down."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from dossiers.lifecycle.events import record_event
from dossiers.models import DossierEvent, Notification, OutboxMessage, Status
from dossiers.notify import outbox
from dossiers.notify.backends import SmsBackend
from tests import factories

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
SENT_SMS: list[tuple[str, str]] = []


class RecordingSms(SmsBackend):
    """A gateway that accepts everything (stands in for a real SMS/Zalo provider)."""

    def send(self, phone: str, text: str) -> None:
        SENT_SMS.append((phone, text))


class DownSms(SmsBackend):
    """A gateway that is unreachable."""

    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("gateway unreachable")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    SENT_SMS.clear()


@pytest.fixture
def received(birth_registration, ward):
    return factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_email="binh@example.vn"
    )


def test_a_receipt_writes_email_and_sms_for_the_citizen_in_the_same_transaction(received, clerk):
    with transaction.atomic():
        event = record_event(received, "receive", actor=clerk)
        rows = list(OutboxMessage.objects.filter(dossier=received).order_by("channel"))
    assert [(m.channel, m.recipient, m.status) for m in rows] == [
        ("email", "binh@example.vn", "pending"),
        ("sms", "0912345678", "pending"),
    ]
    assert received.code in rows[0].subject and "tiếp nhận" in rows[0].subject
    # An SMS is the event's brandname text (CitizenMessageRule), within 400 characters.
    assert received.code in rows[1].body and len(rows[1].body) <= 400
    assert rows[0].dedupe_key.startswith(f"event:{event.pk}:")


def test_a_rolled_back_change_leaves_no_message(received, clerk):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(received, "receive", actor=clerk)
        raise RuntimeError("the business change failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "action, payload, kind",
    [
        (
            "request_supplement",
            {"missing": [{"name": "Giấy chứng sinh", "reason": "Bản sao mờ"}]},
            "supplement_request",
        ),
        ("apologize", {"reason": "Cần xác minh thêm"}, "apology"),
        ("resolve", {"outcome": "approved"}, "result_ready"),
        ("expire_supplement", {}, "supplement_expired"),
    ],
)
def test_the_citizen_is_told_at_each_milestone(received, clerk, action, payload, kind):
    record_event(received, action, actor=clerk, payload=payload)
    assert set(OutboxMessage.objects.values_list("payload__kind", flat=True)) == {kind}
    if action == "request_supplement":
        body = OutboxMessage.objects.get(channel="email").body
        assert "Giấy chứng sinh: Bản sao mờ" in body


@pytest.mark.parametrize("action", ["forward", "supplement", "withdraw", "result_failed"])
def test_other_events_tell_the_citizen_nothing(received, clerk, action):
    record_event(received, action, actor=clerk, payload={})
    assert not OutboxMessage.objects.exists()


def test_a_forward_tells_the_new_assignee(received, clerk, handler):
    handler.email = "handler@example.gov.vn"
    handler.save()
    record_event(
        received, "forward", actor=clerk, payload={"to_user": handler.pk, "to_step_name": "Thẩm định"}
    )
    note = Notification.objects.get(user=handler)
    assert note.kind == "assigned" and "Thẩm định" in note.body
    assert OutboxMessage.objects.get().recipient == handler.email
    assert not Notification.objects.filter(user=clerk).exists()


def test_the_citizen_account_that_filed_online_gets_an_inbox_row(received, clerk):
    citizen = factories.user(username="citizen", email="")
    received.applicant_user = citizen
    record_event(received, "resolve", actor=clerk)
    assert Notification.objects.get(user=citizen).kind == "result_ready"


def test_drain_sends_email_and_sms_and_marks_them_sent(received, clerk, settings):
    settings.SMS_BACKEND = "tests.dossiers.test_outbox.RecordingSms"
    with time_machine.travel(NOW, tick=False):
        record_event(received, "receive", actor=clerk)
        assert outbox.drain() == {"sent": 2, "retry": 0, "dead": 0}
        assert outbox.drain() == {"sent": 0, "retry": 0, "dead": 0}
    assert [m.to for m in mail.outbox] == [["binh@example.vn"]]
    assert "Mã hồ sơ: " + received.code in mail.outbox[0].body
    assert SENT_SMS == [("0912345678", OutboxMessage.objects.get(channel="sms").body)]  # the event's SMS text
    assert set(OutboxMessage.objects.values_list("status", "attempts", "sent_at")) == {("sent", 1, NOW)}


def test_failures_back_off_exponentially_then_dead_letter(received, clerk, settings):
    settings.SMS_BACKEND = "tests.dossiers.test_outbox.DownSms"
    settings.OUTBOX_BACKOFF_SECONDS = 10
    settings.OUTBOX_MAX_ATTEMPTS = 4
    received.applicant_email = ""
    with time_machine.travel(NOW, tick=False):
        record_event(received, "receive", actor=clerk)
    waits = []
    now = NOW
    for _ in range(3):
        with time_machine.travel(now, tick=False):
            assert outbox.drain()["retry"] == 1
            assert outbox.drain()["retry"] == 0  # not due again yet
        msg = OutboxMessage.objects.get()
        waits.append((msg.next_attempt_at - now).total_seconds())
        now = msg.next_attempt_at
    assert waits == [10, 20, 40]
    with time_machine.travel(now, tick=False):
        assert outbox.drain()["dead"] == 1
    msg = OutboxMessage.objects.get()
    assert (msg.status, msg.attempts) == ("dead", 4)
    assert "gateway unreachable" in msg.last_error

    settings.SMS_BACKEND = "tests.dossiers.test_outbox.RecordingSms"
    assert outbox.retry([msg.pk]) == 1  # the admin action
    assert outbox.drain()["sent"] == 1
    assert len(SENT_SMS) == 1


def test_the_admin_lists_dead_letters_and_retries_them(received, clerk, admin_client, settings):
    settings.SMS_BACKEND = "tests.dossiers.test_outbox.RecordingSms"
    record_event(received, "receive", actor=clerk)
    OutboxMessage.objects.update(status="dead", attempts=8, last_error="timeout")
    page = admin_client.get("/admin/dossiers/outboxmessage/?status__exact=dead")
    assert page.status_code == 200 and received.applicant_email in page.content.decode()
    ids = list(OutboxMessage.objects.values_list("pk", flat=True))
    response = admin_client.post(
        "/admin/dossiers/outboxmessage/", {"action": "retry_messages", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("pending", 0)}


def test_the_drain_claims_in_constant_queries_and_writes_one_result_per_message(
    received, clerk, settings, django_assert_num_queries
):
    """Each result is written as soon as it is known, so a crash re-sends at most the message in flight."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SMS_BACKEND = "tests.dossiers.test_outbox.RecordingSms"
    record_event(received, "receive", actor=clerk)
    with CaptureQueriesContext(connection) as two:
        assert outbox.drain()["sent"] == 2
    for _ in range(10):
        record_event(received, "apologize", actor=clerk, payload={"reason": "x"})
    with django_assert_num_queries(len(two) + 18):
        assert outbox.drain()["sent"] == 20


@pytest.fixture
def broker_down(settings):
    """config.jobs publishes to a port where nothing listens; the settings fixture puts the URL back."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"


def test_a_broker_outage_never_fails_the_change_and_the_message_waits(
    flushable_event_log, broker_down, birth_registration, ward, clerk, settings, caplog
):
    settings.SMS_BACKEND = "tests.dossiers.test_outbox.RecordingSms"
    dossier = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_email="binh@example.vn"
    )
    with transaction.atomic():
        record_event(dossier, "receive", actor=clerk)  # the drain is enqueued once this commits
    assert "could not enqueue dossiers.drain_outbox" in caplog.text  # tried the broker, failed quietly
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").exists()  # committed
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}

    assert outbox.drain()["sent"] == 2  # what the beat's periodic drain does later
    assert SENT_SMS and [m.to for m in mail.outbox] == [["binh@example.vn"]]
