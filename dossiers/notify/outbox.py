"""The transactional outbox: messages written with the change that caused them, drained by a task.

A drain claims a batch under a lease: one short transaction sets `claimed_until` on due pending rows that
no other drain holds (SKIP LOCKED only for that instant) and commits. It then sends with no transaction
open, so a slow receiver holds no lock, and writes each result as soon as it is known, clearing the lease.
A drain that dies mid-batch leaves only its unrecorded messages leased; when the lease runs out another
drain sends them again: delivery is at least once, and webhooks carry an Idempotency-Key for the receiver
to drop a repeat. A failure waits base * 2^(attempts-1) seconds; after OUTBOX_MAX_ATTEMPTS failures the
message is dead-lettered (admin shows it with a retry action).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from config.jobs import enqueue, enqueue_on_commit

from ..models import OutboxMessage
from . import backends, webhooks

logger = logging.getLogger(__name__)

State = OutboxMessage.State
DRAIN_TASK = "dossiers.drain_outbox"  # with the broker down, beat's periodic drain sends later


class Deferred(Exception):
    """Raised by a sender that must not send this message yet (an earlier message of the same dossier is
    still unsent): it is tried again after `seconds`, and the wait is no failed attempt."""

    def __init__(self, reason: str, seconds: float = 10.0):
        super().__init__(reason)
        self.seconds = seconds


def backoff_seconds(attempts: int) -> float:
    """The wait after the `attempts`-th failure (1, 2, ...): base, 2 base, 4 base, ..."""
    base = float(getattr(settings, "OUTBOX_BACKOFF_SECONDS", 30))
    return base * 2 ** max(attempts - 1, 0)


def write(messages: list[OutboxMessage]) -> int:
    """Insert the messages (a dedupe_key already present is skipped) and wake the drain after commit."""
    if not messages:
        return 0
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    enqueue_on_commit(DRAIN_TASK)
    return len(messages)


def claimable(now: datetime) -> Q:
    """Pending, due, and held by no drain (never claimed, or its lease ran out); index outbox_claimable."""
    lease_free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return Q(status=State.PENDING, next_attempt_at__lte=now) & lease_free


def claim(batch: int = 100) -> list[OutboxMessage]:
    """Lease up to `batch` due messages to this drain for OUTBOX_LEASE_SECONDS, in a short transaction."""
    now = timezone.now()
    until = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        claimed = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(claimable(now))
            .order_by("next_attempt_at", "id")[:batch]
        )
        if claimed:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(claimed_until=until)
    for message in claimed:
        message.claimed_until = until
    return claimed


def idempotency_key(message: OutboxMessage) -> str:
    """The same for every attempt at one message: its dedupe key, which the outbox already keeps unique."""
    return message.dedupe_key


def _send(message: OutboxMessage, mail_connection) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        backends.send_email(message.recipient, message.subject, message.body, connection=mail_connection)
    elif message.channel == OutboxMessage.Channel.SMS:
        backends.send_sms(message.recipient, message.body)
    elif message.channel == OutboxMessage.Channel.WEBHOOK:
        sub = message.subscription
        if sub is None or not sub.active:
            raise webhooks.DeliveryFailed("subscription removed or inactive")
        webhooks.deliver(sub.url, sub.secret, message.payload, idempotency_key=idempotency_key(message))
    elif message.channel in settings.OUTBOX_SENDERS:
        import_string(settings.OUTBOX_SENDERS[message.channel])(message)
    else:
        raise ValueError(f"unknown channel {message.channel}")


def _held(message: OutboxMessage):
    """This drain's lease on the message: a lease that ran out may have passed to another drain."""
    return OutboxMessage.objects.filter(pk=message.pk, claimed_until=message.claimed_until)


def _record(message: OutboxMessage, error: Exception | None) -> str:
    """Write one send's outcome ("sent", "retry", "dead" or "deferred") in one statement, ending the lease."""
    attempts = message.attempts + 1
    if isinstance(error, Deferred):
        outcome, attempts = "deferred", message.attempts
        values = {
            "last_error": f"Deferred: {error}"[:2000],
            "next_attempt_at": timezone.now() + timedelta(seconds=error.seconds),
        }
    elif error is None:
        outcome, values = "sent", {"status": State.SENT, "sent_at": timezone.now(), "last_error": ""}
    else:
        values = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            outcome, values["status"] = "dead", State.DEAD
        else:
            outcome = "retry"
            values["next_attempt_at"] = timezone.now() + timedelta(seconds=backoff_seconds(attempts))
    if not _held(message).update(attempts=attempts, claimed_until=None, **values):
        # Retried from the admin meanwhile, or held past its lease and taken by another drain.
        logger.warning(
            "outbox: message %s lost its lease before its result (%s) was written", message.pk, outcome
        )
    return outcome


def send_claimed(claimed: list[OutboxMessage]) -> Iterator[str]:
    """Send leased messages one by one, recording each outcome; yields the outcomes.

    A send starts only while half the lease is left, so a lease over twice the longest send outlives every
    send; the messages not reached are released for the next claim.
    """
    if not claimed:
        return
    half_lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS / 2)
    mail = get_connection(fail_silently=False)
    for i, message in enumerate(claimed):
        if timezone.now() > message.claimed_until - half_lease:
            rest = [m.pk for m in claimed[i:]]
            OutboxMessage.objects.filter(pk__in=rest, claimed_until=message.claimed_until).update(
                claimed_until=None
            )
            return
        try:
            _send(message, mail)
        except Exception as exc:
            yield _record(message, exc)
        else:
            yield _record(message, None)


def drain(batch: int = 100, max_batches: int = 50) -> dict[str, int]:
    """Send due messages batch by batch until none is left (or max_batches ran); counts by outcome."""
    total = {"sent": 0, "retry": 0, "dead": 0}  # and "deferred", when a sender deferred some
    for _ in range(max_batches):
        claimed = claim(batch)
        for outcome in send_claimed(claimed):
            total[outcome] = total.get(outcome, 0) + 1
        if len(claimed) < batch:
            break
    return total


def retry(ids: Iterable[int]) -> int:
    """Put dead (or failing) messages back in the queue now, ending any lease; returns how many.

    A message retried while a drain is sending it may go out twice; the receiver's idempotency key drops it.
    """
    with transaction.atomic():
        n = (
            OutboxMessage.objects.filter(pk__in=list(ids))
            .exclude(status=State.SENT)
            .update(status=State.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None)
        )
        if n:
            transaction.on_commit(lambda: enqueue(DRAIN_TASK))
    return n
