"""End to end on the real broker: a resolved dossier becomes a signed, downloadable result via a worker."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dossiers.documents.issuing import result_document
from dossiers.documents.signing import verify_pdf
from dossiers.lifecycle.actions import perform
from dossiers.models import Dossier, Outcome, Status
from dossiers.tasks.results import issue_result
from tests import factories
from tests.conftest_worker import wait_until


@pytest.mark.worker
def test_a_live_worker_issues_the_signed_result(
    pki, media_root, worker, ward, clerk, leader, birth_registration
):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    factories.result_draft(d, leader)
    perform(d.code, "resolve", leader, {"outcome": Outcome.APPROVED, "draft_version": 1})  # queued on commit

    done = wait_until(lambda: Dossier.objects.filter(pk=d.pk, e_result_status=Dossier.EResult.DONE).exists())
    assert done, "".join(worker.log[-30:])
    issue_result.delay(d.pk)  # a duplicate delivery changes nothing
    assert wait_until(lambda: "".join(worker.log).count("succeeded") >= 2, timeout=30), "".join(
        worker.log[-30:]
    )

    doc = result_document(d)
    assert d.documents.filter(kind="result").count() == 1
    api = APIClient()
    api.force_authenticate(clerk)
    response = api.get(f"/api/v1/documents/{doc.pk}/download")
    assert response.status_code == 200
    assert verify_pdf(b"".join(response.streaming_content)).valid
