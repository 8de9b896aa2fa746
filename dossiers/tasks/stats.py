"""Statistics rollups: nightly (and on the 1st) for closed months, every minute for the current month."""

from celery import shared_task


@shared_task(name="dossiers.refresh_stats_rollups", acks_late=True, ignore_result=True)
def refresh_stats_rollups() -> dict:
    """Idempotent: months already built and clean are skipped; a concurrent run waits on the row locks."""
    from dossiers.reporting.rollup import refresh

    return refresh()


@shared_task(name="dossiers.refresh_current_stats", acks_late=True, ignore_result=True, expires=120)
def refresh_current_stats() -> dict:
    """Rebuild the current month for agencies changed since (a run finding nothing writes nothing)."""
    from dossiers.reporting.rollup import refresh_current

    return refresh_current()
