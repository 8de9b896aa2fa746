"""Check the dossiers received without the population database: by beat, and after an intake left one
pending (dossiers.lifecycle.population)."""

from celery import shared_task


@shared_task(name="dossiers.verify_population", acks_late=True, ignore_result=True, expires=300)
def verify_population() -> dict:
    """Idempotent: each dossier is checked under its row lock, and only while still pending."""
    from dossiers.lifecycle.population import check_pending

    return check_pending()
