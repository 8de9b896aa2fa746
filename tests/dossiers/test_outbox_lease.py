"""The outbox sends under a lease: no lock is held while a receiver answers, a drain that dies is taken over
once its lease ends, and a slow channel never sends past its lease."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from dossiers.lifecycle.events import record_event
from dossiers.models import OutboxMessage, Status, WebhookSubscription
from dossiers.notify import outbox
from dossiers.notify.backends import SmsBackend
from tests import factories

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
SENT_SMS: list[str] = []
CLOCK: list[time_machine.Coordinates] = []  # the frozen clock a slow gateway moves on


class RecordingSms(SmsBackend):
    def send(self, phone: str, text: str) -> None:
        SENT_SMS.append(phone)


class DyingSms(SmsBackend):
    """The gateway takes the message, then the worker is killed before it writes the result."""

    def send(self, phone: str, text: str) -> None:
        SENT_SMS.append(phone)
        raise SystemExit("worker killed")


class SlowSms(SmsBackend):
    """A gateway that takes 40 seconds to answer."""

    def send(self, phone: str, text: str) -> None:
        CLOCK[0].shift(timedelta(seconds=40))
        SENT_SMS.append(phone)


class HangingReceiver:
    """A webhook endpoint on 127.0.0.1 that takes the request, then answers only once released."""

    def __init__(self):
        self.arrived, self.release = threading.Event(), threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.arrived.set()
                receiver.release.wait(30)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def quiet_gateways(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "tests.dossiers.test_outbox_lease.RecordingSms"
    settings.OUTBOX_LEASE_SECONDS = 60
    SENT_SMS.clear()


def dossier(procedure, agency, **applicant):
    return factories.dossier(procedure=procedure, agency=agency, status=Status.RECEIVED, **applicant)


@pytest.fixture
def time_limits():
    """In this connection a lock wait fails after 1 s (and any statement after 5 s) instead of hanging."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'; SET statement_timeout = '5s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout; RESET statement_timeout")


def test_a_hanging_receiver_blocks_neither_an_intake_nor_another_drain(
    flushable_event_log, time_limits, settings, birth_registration, ward, clerk
):
    settings.WEBHOOK_TIMEOUT = 2
    with HangingReceiver() as receiver:
        WebhookSubscription.objects.create(name="slow", url=receiver.url, secret="k", event_types=["resolve"])
        record_event(dossier(birth_registration, ward, applicant_phone=""), "resolve", actor=clerk)
        [in_flight] = OutboxMessage.objects.all()

        results = {}

        def first_drain():
            try:
                results["first"] = outbox.drain()
            finally:
                connection.close()

        stuck = threading.Thread(target=first_drain)
        stuck.start()
        assert receiver.arrived.wait(10), "the first drain never reached the receiver"

        # While the first drain waits for the receiver: no transaction of its is open, no lock on its row.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone() == (0,)
        with transaction.atomic():
            OutboxMessage.objects.select_for_update(nowait=True).get(pk=in_flight.pk)

        # An intake writes new outbox rows and commits; a second drain sends them, not the leased webhook.
        with transaction.atomic():
            record_event(
                dossier(birth_registration, ward, applicant_phone="0988000111"), "receive", actor=clerk
            )
        assert outbox.drain() == {"sent": 1, "retry": 0, "dead": 0}
        assert SENT_SMS == ["0988000111"]

        stuck.join(10)
    assert results["first"] == {"sent": 0, "retry": 1, "dead": 0}
    in_flight.refresh_from_db()
    assert (in_flight.status, in_flight.attempts, in_flight.claimed_until) == ("pending", 1, None)
    assert "timed out" in in_flight.last_error


def test_a_drain_that_dies_mid_send_is_taken_over_once_its_lease_ends(
    birth_registration, ward, clerk, settings
):
    received = dossier(
        birth_registration, ward, applicant_email="binh@example.vn", applicant_phone="0912345678"
    )
    settings.SMS_BACKEND = "tests.dossiers.test_outbox_lease.DyingSms"
    with time_machine.travel(NOW, tick=False):
        record_event(received, "receive", actor=clerk)
        with pytest.raises(SystemExit):
            outbox.drain()  # the email is sent and written; the SMS is sent, then the worker dies
    email, sms = OutboxMessage.objects.order_by("id")
    assert (email.channel, email.status, email.claimed_until) == ("email", "sent", None)
    assert (sms.channel, sms.status, sms.claimed_until) == ("sms", "pending", NOW + timedelta(seconds=60))

    settings.SMS_BACKEND = "tests.dossiers.test_outbox_lease.RecordingSms"
    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        assert outbox.drain() == {"sent": 0, "retry": 0, "dead": 0}  # still leased to the dead drain
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert outbox.drain() == {"sent": 1, "retry": 0, "dead": 0}
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert outbox.drain() == {"sent": 0, "retry": 0, "dead": 0}
    assert SENT_SMS == ["0912345678", "0912345678"]  # the one in flight, and exactly one re-send
    assert len(mail.outbox) == 1
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.claimed_until) == ("sent", 1, None)


def test_claimed_messages_that_are_never_sent_go_out_once_after_the_lease(birth_registration, ward, clerk):
    received = dossier(
        birth_registration, ward, applicant_email="binh@example.vn", applicant_phone="0912345678"
    )
    with time_machine.travel(NOW, tick=False):
        record_event(received, "receive", actor=clerk)
        assert len(outbox.claim()) == 2  # and the worker is gone
        assert outbox.claim() == []
    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert outbox.drain()["sent"] == 2
        assert outbox.drain()["sent"] == 0
    assert (len(SENT_SMS), len(mail.outbox)) == (1, 1)


def test_a_slow_channel_never_sends_past_the_lease_and_releases_the_rest(
    birth_registration, ward, clerk, settings
):
    settings.SMS_BACKEND = "tests.dossiers.test_outbox_lease.SlowSms"
    phones = ["0900000001", "0900000002"]
    with time_machine.travel(NOW, tick=False) as clock:
        CLOCK[:] = [clock]
        for phone in phones:
            record_event(dossier(birth_registration, ward, applicant_phone=phone), "receive", actor=clerk)
        # 40 s for the first message leave less than half of the 60 s lease: the second waits for a new claim.
        assert outbox.drain(batch=2, max_batches=1) == {"sent": 1, "retry": 0, "dead": 0}
        waiting = OutboxMessage.objects.get(status="pending")
        assert waiting.claimed_until is None
        assert outbox.drain() == {"sent": 1, "retry": 0, "dead": 0}
    assert SENT_SMS == phones


def test_a_retry_from_the_admin_ends_the_lease(birth_registration, ward, clerk):
    received = dossier(birth_registration, ward, applicant_phone="0912345678")
    with time_machine.travel(NOW, tick=False):
        record_event(received, "receive", actor=clerk)
        [claimed] = outbox.claim()
        assert outbox.retry([claimed.pk]) == 1
        assert OutboxMessage.objects.get().claimed_until is None
        assert outbox.drain()["sent"] == 1
