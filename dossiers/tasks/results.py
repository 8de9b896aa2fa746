"""Issue the electronic result of a resolved dossier (render, sign, store)."""

from celery import shared_task


@shared_task(name="dossiers.issue_result", acks_late=True)
def issue_result(dossier_id: int) -> None:
    """Filled in by the documents module; enqueued on commit by the resolve action."""
