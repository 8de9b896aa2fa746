"""The outbox hands channels beyond e-mail, SMS and webhooks to the sender settings name, with its retries."""

import pytest

from dossiers.models import OutboxMessage
from dossiers.notify import outbox

pytestmark = pytest.mark.django_db

SENT: list[str] = []


def send_or_fail(message: OutboxMessage) -> None:
    if message.payload.get("fail"):
        raise RuntimeError("platform said no")
    SENT.append(message.recipient)


def test_a_national_channel_goes_through_its_sender_and_is_retried(settings):
    settings.OUTBOX_SENDERS = {"emc": "tests.national.test_outbox_senders.send_or_fail"}
    SENT.clear()
    ok = OutboxMessage.objects.create(channel="emc", recipient="emc-ok", dedupe_key="emc:1")
    bad = OutboxMessage.objects.create(
        channel="emc", recipient="emc-bad", payload={"fail": 1}, dedupe_key="emc:2"
    )
    outbox.drain()
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert SENT == ["emc-ok"] and ok.status == "sent"
    assert bad.status == "pending" and bad.attempts == 1 and "platform said no" in bad.last_error
