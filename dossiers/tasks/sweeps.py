"""Periodic deadline tasks run by beat: the sweep every few minutes and the working-day digest at 07:30."""

from celery import shared_task


@shared_task(name="dossiers.sweep_deadlines", acks_late=True, ignore_result=True)
def sweep_deadlines() -> dict | None:
    """Idempotent and locked: a duplicate or overlapping run finds nothing left or skips."""
    from dossiers.lifecycle.sweeps import sweep_deadlines as run

    return run()


@shared_task(name="dossiers.daily_digest", acks_late=True, ignore_result=True)
def daily_digest() -> int | None:
    """Working days only; once per user per day."""
    from dossiers.lifecycle.sweeps import daily_digest as run

    return run()
