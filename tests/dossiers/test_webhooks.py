"""Webhooks: events other systems subscribed to are POSTed through the outbox, signed with HMAC-SHA256."""

from __future__ import annotations

import json
import socket
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db.models import F

from dossiers.lifecycle.events import record_event
from dossiers.models import OutboxMessage, Status, WebhookSubscription
from dossiers.notify import outbox, webhooks
from tests import factories

SECRET = "s3cret-shared-with-the-receiver"
SENT_AT = datetime.fromisoformat("2026-03-02T09:00:00+07:00")


class Receiver:
    """A local HTTP endpoint on 127.0.0.1 that records what it receives and answers with `status`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/onestop"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def received(birth_registration, ward):
    return factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_phone=""
    )  # no phone: the only message is the webhook


def test_a_subscribed_event_is_delivered_signed(receiver, received, clerk):
    WebhookSubscription.objects.create(
        name="Cổng DVC", url=receiver.url, secret=SECRET, event_types=["receive"]
    )
    with time_machine.travel(SENT_AT, tick=False):
        event = record_event(received, "receive", actor=clerk)
        assert outbox.drain()["sent"] == 1

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/onestop"
    assert headers["Content-Type"].startswith("application/json")
    timestamp = headers["X-Onestop-Timestamp"]
    assert timestamp == str(int(SENT_AT.timestamp()))  # the moment of sending, in Unix seconds
    assert headers["X-Onestop-Signature"] == webhooks.signature(SECRET, timestamp, body)
    assert webhooks.verify(SECRET, timestamp, body, headers["X-Onestop-Signature"], now=SENT_AT.timestamp())
    data = json.loads(body)
    assert data["id"] == event.pk and data["event"] == "receive"
    assert data["dossier"] == {
        "code": received.code,
        "status": "received",
        "national_status_code": 2,
        "due_at": received.due_at.isoformat(),
    }
    assert "applicant_name" not in body.decode()  # no personal data leaves


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    body = b'{"event":"receive"}'
    expected = hmac.new(b"k", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature("k", "1700000000", body) == f"sha256={expected}"
    assert not webhooks.verify("k", "1700000000", body + b" ", f"sha256={expected}", now=1700000000)
    assert not webhooks.verify("k", "1700000000", body, f"sha256={expected}", now=1700000000 + 3600)


@pytest.mark.parametrize(
    "event_types, action, public, delivered",
    [
        (["receive"], "receive", True, True),
        (["resolve"], "receive", True, False),
        ([], "receive", True, True),  # empty: every public event
        ([], "result_failed", False, False),
        (["result_failed"], "result_failed", False, True),
    ],
)
def test_only_subscribed_events_are_sent(received, clerk, event_types, action, public, delivered):
    WebhookSubscription.objects.create(
        name="x", url="http://127.0.0.1:9/", secret=SECRET, event_types=event_types
    )
    WebhookSubscription.objects.create(name="off", url="http://127.0.0.1:9/", secret=SECRET, active=False)
    record_event(received, action, actor=clerk, public=public)
    assert OutboxMessage.objects.filter(channel="webhook").count() == int(delivered)


def test_a_failing_receiver_is_retried_later(receiver, received, clerk):
    receiver.status = 503
    WebhookSubscription.objects.create(name="x", url=receiver.url, secret=SECRET)
    record_event(received, "receive", actor=clerk)
    assert outbox.drain() == {"sent": 0, "retry": 1, "dead": 0}
    msg = OutboxMessage.objects.get(channel="webhook")
    assert msg.status == "pending" and msg.attempts == 1 and msg.last_error.endswith("HTTP 503")
    receiver.status = 204
    OutboxMessage.objects.update(next_attempt_at=msg.created_at)
    assert outbox.drain()["sent"] == 1
    assert len(receiver.requests) == 2


def test_a_retry_carries_the_same_idempotency_key_and_a_fresh_signature(receiver, received, clerk):
    receiver.status = 503
    WebhookSubscription.objects.create(name="a", url=receiver.url, secret=SECRET)
    WebhookSubscription.objects.create(name="b", url=receiver.url, secret=SECRET)
    record_event(received, "receive", actor=clerk)
    assert outbox.drain()["retry"] == 2
    receiver.status = 204
    OutboxMessage.objects.update(next_attempt_at=F("created_at"))  # due again
    assert outbox.drain()["sent"] == 2

    keys = [r["headers"]["Idempotency-Key"] for r in receiver.requests]
    first, second = keys[:2], keys[2:]
    assert sorted(first) == sorted(second)  # each message keeps its key on the retry
    assert len(set(first)) == 2  # and the two subscriptions' messages differ
    assert set(keys) == set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    for r in receiver.requests:  # the signature is still over the timestamp and body alone
        headers = r["headers"]
        assert webhooks.verify(
            SECRET, headers["X-Onestop-Timestamp"], r["body"], headers["X-Onestop-Signature"]
        )


@pytest.fixture
def silent_receiver():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"


def test_a_receiver_that_never_answers_is_given_up_after_the_timeout_and_retried_later(
    silent_receiver, received, clerk, settings
):
    settings.WEBHOOK_TIMEOUT = 0.2
    WebhookSubscription.objects.create(name="x", url=silent_receiver, secret=SECRET)
    record_event(received, "receive", actor=clerk)
    assert outbox.drain() == {"sent": 0, "retry": 1, "dead": 0}
    msg = OutboxMessage.objects.get(channel="webhook")
    assert msg.status == "pending" and msg.attempts == 1 and "timed out" in msg.last_error


def test_a_refused_connection_is_retried_later(received, clerk):
    WebhookSubscription.objects.create(name="x", url="http://127.0.0.1:9/none", secret=SECRET)
    record_event(received, "receive", actor=clerk)
    assert outbox.drain() == {"sent": 0, "retry": 1, "dead": 0}
    assert "refused" in OutboxMessage.objects.get(channel="webhook").last_error.lower()


def test_only_http_urls_are_fetched():
    with pytest.raises(webhooks.DeliveryFailed):
        webhooks.deliver("file:///etc/passwd", SECRET, {})
