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
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

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
    transaction.on_commit(wake_drain)
    return len(messages)


WAKE_KEY = "outbox:wake"  # in the shared cache's namespace (CACHE_PREFIX)
_redis = None


def _shared_redis():
    """One client per process on the cache's Redis (the cache API builds a client per call)."""
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    return _redis


def wake_drain() -> bool:
    """After a commit that wrote messages: wake the drain, at most twice per window across all processes.

    The first commit of a window (settings.OUTBOX_WAKE_WINDOW whole seconds, default 1; 0 for a wake-up per
    commit), decided by a shared `SET NX` key with that expiry, publishes a drain now and one delayed by the
    window. A later commit in the window publishes nothing: its messages were committed before the key
    expired, so before the delayed drain runs, which sends them. A busy counter thus costs one Redis round
    trip per intake instead of a Celery publish, and a message waits at most one window. Returns whether this
    call published. Never raises.
    """
    window = int(getattr(settings, "OUTBOX_WAKE_WINDOW", 1))
    if window <= 0:
        return enqueue_drain()
    try:
        first = bool(_shared_redis().set(cache.make_and_validate_key(WAKE_KEY), 1, nx=True, ex=window))
    except Exception as exc:  # no shared cache: publish every time, as without the window
        logger.warning("outbox: wake-up window unavailable (%s)", exc)
        first = True
    if not first:
        return False
    return enqueue_drain() and enqueue_drain(countdown=window)


def enqueue_drain(countdown: float | None = None) -> bool:
    """Ask a worker to drain now (or in `countdown` seconds). Never raises: with the broker down the beat's
    periodic drain sends later.

    settings.OUTBOX_BROKER_URL (default: the Celery broker) lets the wake-up go elsewhere.
    """
    from ..tasks.outbox import drain_outbox

    url = getattr(settings, "OUTBOX_BROKER_URL", "") or None
    options = {"retry": False, "countdown": countdown} if countdown else {"retry": False}
    try:
        if url:
            from config.celery import app

            with app.connection_for_write(url) as conn:
                conn.transport_options.update({"socket_connect_timeout": 2, "socket_timeout": 2})
                drain_outbox.apply_async(connection=conn, **options)
        else:
            drain_outbox.apply_async(**options)
        return True
    except Exception as exc:  # the broker being down must never undo or fail the business change
        logger.warning("outbox: could not enqueue the drain (%s); the periodic drain will send", exc)
        return False


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
            transaction.on_commit(enqueue_drain)
    return n
