"""The transactional outbox: messages written with the change that caused them, drained by a task.

Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED, so several workers drain in parallel without sending
a message twice. A failure waits base * 2^(attempts-1) seconds; after settings.OUTBOX_MAX_ATTEMPTS failures
the message is dead-lettered (admin shows it with a retry action).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from config.jobs import enqueue, enqueue_on_commit

from ..models import OutboxMessage
from . import backends, webhooks

logger = logging.getLogger(__name__)

State = OutboxMessage.State


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


DRAIN_TASK = "dossiers.drain_outbox"  # with the broker down, beat's periodic drain sends later


def _send(message: OutboxMessage, mail_connection) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        backends.send_email(message.recipient, message.subject, message.body, connection=mail_connection)
    elif message.channel == OutboxMessage.Channel.SMS:
        backends.send_sms(message.recipient, message.body)
    elif message.channel == OutboxMessage.Channel.WEBHOOK:
        sub = message.subscription
        if sub is None or not sub.active:
            raise webhooks.DeliveryFailed("subscription removed or inactive")
        webhooks.deliver(sub.url, sub.secret, message.payload)
    else:
        raise ValueError(f"unknown channel {message.channel}")


def drain_batch(batch: int = 100) -> dict[str, int]:
    """Send one batch of due messages; returns counts by outcome ({"sent", "retry", "dead"})."""
    counts = {"sent": 0, "retry": 0, "dead": 0}
    max_attempts = settings.OUTBOX_MAX_ATTEMPTS
    with transaction.atomic():
        now = timezone.now()
        claimed = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription")
            .filter(status=State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:batch]
        )
        if not claimed:
            return counts
        mail = get_connection(fail_silently=False)
        for message in claimed:
            try:
                _send(message, mail)
            except Exception as exc:
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= max_attempts:
                    message.status = State.DEAD
                    counts["dead"] += 1
                else:
                    message.next_attempt_at = now + timedelta(seconds=backoff_seconds(message.attempts))
                    counts["retry"] += 1
            else:
                message.attempts += 1
                message.status, message.sent_at, message.last_error = State.SENT, timezone.now(), ""
                counts["sent"] += 1
        OutboxMessage.objects.bulk_update(
            claimed, ["status", "attempts", "next_attempt_at", "last_error", "sent_at"]
        )
    return counts


def drain(batch: int = 100, max_batches: int = 50) -> dict[str, int]:
    """Send due messages batch by batch until none is left (or max_batches ran)."""
    total = {"sent": 0, "retry": 0, "dead": 0}
    for _ in range(max_batches):
        counts = drain_batch(batch)
        for key, value in counts.items():
            total[key] += value
        if sum(counts.values()) < batch:
            break
    return total


def retry(ids: Iterable[int]) -> int:
    """Put dead (or failing) messages back in the queue now; returns how many."""
    with transaction.atomic():
        n = (
            OutboxMessage.objects.filter(pk__in=list(ids))
            .exclude(status=State.SENT)
            .update(status=State.PENDING, attempts=0, next_attempt_at=timezone.now())
        )
        if n:
            transaction.on_commit(lambda: enqueue(DRAIN_TASK))
    return n
