"""Issue the electronic result of a resolved dossier (render, sign, store) as an idempotent Celery task."""

from celery import Task, shared_task


class _ResultTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once retries are exhausted: record the failure where staff will see it.
        from dossiers.documents.issuing import mark_result_failed

        mark_result_failed(args[0] if args else kwargs["dossier_id"], f"{type(exc).__name__}: {exc}")


@shared_task(
    name="dossiers.issue_result",
    base=_ResultTask,
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def issue_result(self, dossier_id: int) -> int | None:
    """Idempotent: a re-run or duplicate delivery finds the signed document and does nothing."""
    from dossiers.documents.issuing import issue_result_document

    doc = issue_result_document(dossier_id)
    return doc.pk if doc else None
