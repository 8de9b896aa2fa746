"""The national portal's periodic pull (beat, DVCQG_PULL_INTERVAL)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="dossiers.dvcqg_pull", acks_late=True, ignore_result=True)
def dvcqg_pull() -> dict:
    """Idempotent: a record already taken in is found by its code. A portal that is down waits for the next
    beat; the link's health records the failure."""
    from dossiers.national.dvcqg_pull import pull
    from dossiers.national.links import LinkError

    try:
        return pull().as_dict()
    except LinkError as exc:
        logger.warning("dvcqg pull: portal unreachable: %s", exc)
        return {"error": str(exc)}
