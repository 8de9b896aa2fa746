"""Background work asked for by name, after commit, without ever failing the change that asked for it.

Services name the task they want (`"dossiers.issue_result"`) instead of importing it, so the task modules may
import the services and nothing imports back. A broker that is down is logged, never raised: the business
change has committed, and periodic work (the outbox drain, the sweeps) picks up what was not enqueued.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from kombu import pools

logger = logging.getLogger(__name__)

# A commit waits for its enqueue: with the broker down, give up at once (and within two seconds on a hung one)
# instead of retrying the connection for several seconds in front of a clerk. Beat's periodic work catches up.
_FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}


def _producer(app):
    """A pooled producer for settings.CELERY_BROKER_URL, read at send time rather than once when the Celery
    app is configured, so that a test can point it at a broker that is down (kombu keeps one pool per URL)."""
    connection = app.connection_for_write(settings.CELERY_BROKER_URL, transport_options=_FAIL_FAST)
    return pools.producers[connection].acquire(block=True, timeout=app.conf.broker_pool_acquire_timeout)


def enqueue(name: str, *args, countdown: float | None = None) -> bool:
    """Send task `name` with `args` now; True when the broker took it. Never raises."""
    from config.celery import app

    options = {"countdown": countdown} if countdown else {}
    try:
        with _producer(app) as producer:
            app.send_task(name, args=list(args), producer=producer, retry=False, **options)
        return True
    except Exception as exc:  # the broker being down must never undo or fail the business change
        logger.warning("jobs: could not enqueue %s%r (%s)", name, tuple(args), exc)
        return False


def enqueue_on_commit(name: str, *args) -> None:
    """Send task `name` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, name, *args))
