"""Periodic re-check of open online payments with the platform (beat: recheck-payments)."""

from celery import shared_task


@shared_task(name="dossiers.recheck_payments", acks_late=True, ignore_result=True)
def recheck_payments() -> dict:
    """Idempotent: a transaction already paid is acknowledged without effect."""
    from dossiers.lifecycle.payments import recheck_pending

    return recheck_pending()
