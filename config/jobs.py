"""Background work asked for by name, after commit, without ever failing the change that asked for it.

Services name the task they want (`"dossiers.issue_result"`) instead of importing it, so the task modules may
import the services and nothing imports back. A broker that is down is logged, never raised: the business
change has committed, and periodic work (the outbox drain, the sweeps) picks up what was not enqueued.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(name: str, *args, countdown: float | None = None) -> bool:
    """Send task `name` with `args` now; True when the broker took it. Never raises."""
    from config.celery import app

    options = {"countdown": countdown} if countdown else {}
    try:
        app.send_task(name, args=list(args), retry=False, **options)
        return True
    except Exception as exc:  # the broker being down must never undo or fail the business change
        logger.warning("jobs: could not enqueue %s%r (%s)", name, tuple(args), exc)
        return False


def enqueue_on_commit(name: str, *args) -> None:
    """Send task `name` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(enqueue, name, *args))
