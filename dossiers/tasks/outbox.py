"""Drain the notification outbox: enqueued after each commit that writes messages, and by beat every 30 s."""

from celery import shared_task


@shared_task(name="dossiers.drain_outbox", acks_late=True, ignore_result=True)
def drain_outbox() -> dict:
    """Safe to run concurrently: each drain sends only the messages it leased."""
    from dossiers.notify.outbox import drain

    return drain()
