"""Nightly (and on the 1st) build of missing monthly statistics rollups and rebuild of dirty ones."""

from celery import shared_task


@shared_task(name="dossiers.refresh_stats_rollups", acks_late=True, ignore_result=True)
def refresh_stats_rollups() -> dict:
    """Idempotent: months already built and clean are skipped; a concurrent run waits on the row locks."""
    from dossiers.stats.rollup import refresh

    return refresh()
