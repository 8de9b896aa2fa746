"""Issue the electronic result of a resolved dossier (render, sign, store) as an idempotent Celery task, and
the results sweep that queues again the results whose task was lost (dossiers.documents.issuing)."""

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

MAX_RETRIES = 5


class _ResultTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once retries are exhausted: record the failure where staff will see it.
        from dossiers.documents.issuing import mark_result_failed

        mark_result_failed(args[0] if args else kwargs["dossier_id"], f"{type(exc).__name__}: {exc}")


@shared_task(
    name="dossiers.issue_result", base=_ResultTask, bind=True, acks_late=True, max_retries=MAX_RETRIES
)
def issue_result(self, dossier_id: int) -> int | None:
    """Idempotent: a re-run or duplicate delivery finds the signed document and does nothing."""
    from dossiers.documents.issuing import hold_result, issue_result_document

    try:
        doc = issue_result_document(dossier_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            raise
        countdown = get_exponential_backoff_interval(
            factor=5, retries=self.request.retries, maximum=600, full_jitter=True
        )
        hold_result(dossier_id, countdown)  # the wait for the retry is not a lost task
        raise self.retry(exc=exc, countdown=countdown) from exc
    return doc.pk if doc else None


@shared_task(name="dossiers.sweep_results", acks_late=True, ignore_result=True)
def sweep_results() -> int:
    """Queue again the pending results whose lease ran out; safe to run concurrently (SKIP LOCKED claims)."""
    from dossiers.documents.issuing import queue_due_results

    return queue_due_results()
