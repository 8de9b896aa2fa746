"""The dossier page's document actions: upload and reuse by form post, the signed result for printing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.documents.issuing import issue_result_document
from dossiers.documents.uploads import attach_component
from dossiers.models import Dossier, Outcome, Status
from tests import factories
from tests.dossiers.test_uploads import EXE, PDF


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def received(ward, birth_registration):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


def test_upload_from_the_dossier_page_returns_to_it_with_a_message(desk, media_root, received):
    requirement = received.procedure.requirements.first()
    response = desk.post(
        f"/dossiers/{received.code}/documents/upload",
        {"file": SimpleUploadedFile("a.pdf", PDF), "requirement": requirement.pk},
        follow=False,
    )
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{received.code}/"
    assert received.documents.get().requirement == requirement


def test_a_refused_upload_shows_the_reason(desk, media_root, received):
    response = desk.post(
        f"/dossiers/{received.code}/documents/upload",
        {"file": SimpleUploadedFile("a.pdf", EXE), "next": "https://evil.example/"},
    )
    assert response["Location"] == f"/dossiers/{received.code}/"  # no open redirect
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("PDF, JPEG hoặc PNG" in m for m in messages)
    assert not received.documents.exists()


def test_reuse_from_the_dossier_page(desk, media_root, received, ward, birth_registration, clerk):
    earlier = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    source = attach_component(earlier, None, SimpleUploadedFile("a.pdf", PDF), clerk)
    desk.post(f"/dossiers/{received.code}/documents/reuse", {"document": source.pk})
    assert Dossier.objects.get(pk=received.pk).reuses_data


def test_the_signed_result_prints_from_the_dossier_page(desk, pki, media_root, ward, birth_registration):
    d = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RESOLVED,
        outcome=Outcome.DENIED,
        outcome_note="Không đủ điều kiện",
    )
    assert desk.get(f"/dossiers/{d.code}/result.pdf").status_code == 400  # not issued yet: a page, not a 500
    issue_result_document(d.pk)
    response = desk.get(f"/dossiers/{d.code}/result.pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_verify_form_sends_a_token_to_its_page(client, db):
    assert client.get("/verify/?token=Ab_c-1")["Location"] == "/verify/Ab_c-1/"
    assert client.get("/verify/").status_code == 200
