"""The electronic result: rendered, signed and stored once by the task; failures are visible and retryable."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from dossiers.documents.issuing import issue_result_document, queue_result, result_document, retry_e_result
from dossiers.documents.signing import verify_pdf
from dossiers.models import Document, Dossier, Outcome, Status
from dossiers.tasks.results import issue_result
from tests import factories


def resolved_dossier(ward, procedure, outcome=Outcome.APPROVED, **kw):
    return factories.dossier(
        procedure=procedure,
        agency=ward,
        status=Status.RESOLVED,
        outcome=outcome,
        e_result_status=Dossier.EResult.PENDING,
        **kw,
    )


@pytest.mark.parametrize(
    ("outcome", "heading", "body"),
    [
        (Outcome.APPROVED, "QUYẾT ĐỊNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "chấp thuận"),
        (Outcome.DENIED, "VĂN BẢN TRẢ LỜI TỪ CHỐI GIẢI QUYẾT HỒ SƠ", "Người yêu cầu không cư trú tại phường"),
    ],
)
def test_the_task_issues_a_signed_result_for_each_outcome(
    pki, media_root, ward, birth_registration, outcome, heading, body
):
    from tests.dossiers.test_forms_pdf import pdf_text

    d = resolved_dossier(
        ward,
        birth_registration,
        outcome,
        outcome_note="Người yêu cầu không cư trú tại phường" if outcome == Outcome.DENIED else "",
    )
    issue_result.apply(args=[d.pk]).get()

    d = Dossier.objects.get(pk=d.pk)
    doc = result_document(d)
    assert d.e_result_status == Dossier.EResult.DONE and d.e_result_error == ""
    assert doc.signed and doc.signature["signer"] == ward.name and doc.signature["signed_at"]
    data = default_storage.open(doc.file.name).read()
    assert verify_pdf(data).valid
    text = pdf_text(data)
    assert heading in text and body in text and d.code in text
    assert d.events.filter(action="result_issued", payload__document_id=doc.pk).count() == 1


def test_a_forced_retry_or_duplicate_delivery_creates_no_second_document(
    pki, media_root, ward, birth_registration
):
    d = resolved_dossier(ward, birth_registration)
    for _ in range(3):
        issue_result.apply(args=[d.pk]).get()
    assert Document.objects.filter(dossier=d, kind=Document.Kind.RESULT).count() == 1
    assert d.events.filter(action="result_issued").count() == 1


def test_the_dossier_row_is_locked_while_issuing(
    pki, media_root, ward, birth_registration, django_assert_max_num_queries
):
    d = resolved_dossier(ward, birth_registration)
    with django_assert_max_num_queries(12) as captured:
        issue_result_document(d.pk)
    assert any("FOR UPDATE" in q["sql"] for q in captured.captured_queries)


def test_an_unresolved_dossier_gets_no_result(pki, media_root, ward, birth_registration):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    assert issue_result_document(d.pk) is None
    assert not d.documents.exists()


def test_after_the_last_retry_the_failure_is_recorded_and_no_file_is_left(
    settings, tmp_path, media_root, ward, birth_registration
):
    settings.SIGNING_DIR = tmp_path / "empty"  # no certificate for the agency: every attempt fails
    d = resolved_dossier(ward, birth_registration)
    result = issue_result.apply(args=[d.pk])
    assert result.failed()
    d = Dossier.objects.get(pk=d.pk)
    assert d.e_result_status == Dossier.EResult.FAILED
    assert "No signing certificate" in d.e_result_error
    assert not d.documents.exists()
    assert not (media_root.exists() and any(p.is_file() for p in media_root.rglob("*")))


def test_retry_e_result_requeues_a_failed_dossier_once_the_cause_is_fixed(
    pki, media_root, ward, birth_registration, leader, django_capture_on_commit_callbacks
):
    d = resolved_dossier(ward, birth_registration, e_result_error="SigningUnavailable: ...")
    Dossier.objects.filter(pk=d.pk).update(e_result_status=Dossier.EResult.FAILED)
    with django_capture_on_commit_callbacks() as callbacks:
        assert retry_e_result(d, actor=leader)
    d = Dossier.objects.get(pk=d.pk)
    assert d.e_result_status == Dossier.EResult.PENDING and d.e_result_error == ""
    assert [c.func for c in callbacks].count(queue_result) == 1
    issue_result.apply(args=[d.pk]).get()  # what the queued message does
    d = Dossier.objects.get(pk=d.pk)
    assert d.e_result_status == Dossier.EResult.DONE
    assert not retry_e_result(d)  # nothing left to retry


def test_the_admin_filters_failed_results_and_retries_them(
    admin_client, ward, birth_registration, django_capture_on_commit_callbacks
):
    failed = resolved_dossier(ward, birth_registration, e_result_error="SigningUnavailable: no certificate")
    Dossier.objects.filter(pk=failed.pk).update(e_result_status=Dossier.EResult.FAILED)
    listing = admin_client.get("/admin/dossiers/dossier/?e_result_status__exact=failed")
    assert failed.code in listing.content.decode() and "no certificate" in listing.content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            "/admin/dossiers/dossier/", {"action": "retry_e_result_action", "_selected_action": [failed.pk]}
        )
    assert Dossier.objects.get(pk=failed.pk).e_result_status == Dossier.EResult.PENDING
    assert [c.func for c in callbacks].count(queue_result) == 1
