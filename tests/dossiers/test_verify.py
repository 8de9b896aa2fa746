"""Public verification: whoever holds a signed result checks it without logging in, by the token printed on
it (QR code and link) or by uploading the PDF; the sequential dossier code alone tells nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from rest_framework.test import APIClient

from dossiers.documents.issuing import issue_result_document
from dossiers.models import Outcome, Status
from tests import factories


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    settings.TRACKING_RATE_LIMIT = "1000/60"


@pytest.fixture
def issued(pki, media_root, ward, birth_registration):
    d = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RESOLVED, outcome=Outcome.APPROVED
    )
    doc = issue_result_document(d.pk)
    d.token = doc.verification_token
    return d, default_storage.open(doc.file.name).read()


def test_the_verify_api_shows_signer_time_dossier_and_procedure(issued, ward):
    d, _ = issued
    body = APIClient().get(f"/api/v1/verify/{d.token}/").json()
    assert body["valid"] is True and body["signer"] == ward.name and body["signed_at"]
    assert body["dossier_code"] == d.code and body["procedure"] == "Đăng ký khai sinh"


def test_the_verify_page_is_public(issued, client, ward):
    d, _ = issued
    response = client.get(f"/verify/{d.token}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Hợp lệ" in html and ward.name in html and d.code in html


def test_each_result_gets_its_own_unguessable_token(pki, media_root, ward, birth_registration):
    tokens = set()
    for _ in range(2):
        d = factories.dossier(
            procedure=birth_registration, agency=ward, status=Status.RESOLVED, outcome=Outcome.APPROVED
        )
        tokens.add(issue_result_document(d.pk).verification_token)
    assert len(tokens) == 2 and all(len(t) >= 20 for t in tokens)


def test_the_result_prints_its_token_in_the_verify_link_and_qr(issued):
    d, data = issued
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert f"/verify/{d.token}/" in text.replace("\n", "")
    assert f"/verify/{d.code}/" not in text


def test_the_dossier_code_alone_tells_nothing(issued, client):
    d, _ = issued
    response = APIClient().get(f"/api/v1/verify/{d.code}/")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and error["message"] and error["message_en"]
    assert d.code not in response.content.decode() and "Đăng ký khai sinh" not in response.content.decode()
    page = client.get(f"/verify/{d.code}/")
    assert page.status_code == 404 and "Đăng ký khai sinh" not in page.content.decode()


def test_an_unknown_token_is_a_404_not_an_error(client, db):
    assert client.get("/verify/KHONG-CO/").status_code == 404
    assert APIClient().get("/api/v1/verify/KHONG-CO/").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("tamper", "valid"),
    [
        (lambda data: data, True),
        (lambda data: data.replace(b"/MediaBox", b"/MediaBoX", 1), False),
        (lambda data: data + b"\n% appended after signing\n", False),
    ],
)
def test_an_uploaded_pdf_is_checked_and_tampering_reported(issued, client, tamper, valid):
    d, data = issued
    response = APIClient().post(
        "/api/v1/verify/", {"file": SimpleUploadedFile("kq.pdf", tamper(data))}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["valid"] is valid
    if valid:
        assert response.json()["dossier_code"] == d.code
    page = client.post("/verify/", {"file": SimpleUploadedFile("kq.pdf", tamper(data))})
    assert ("Không hợp lệ" in page.content.decode()) is not valid


def test_a_file_that_is_not_a_pdf_gets_a_clear_message(client, db):
    response = APIClient().post(
        "/api/v1/verify/", {"file": SimpleUploadedFile("x.pdf", b"MZ\x90")}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_pdf"
    assert client.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"MZ")}).status_code == 400


def test_public_checks_are_rate_limited_per_client(settings, client, db):
    settings.TRACKING_RATE_LIMIT = "2/60"
    from django.core.cache import cache

    ip = "198.51.100.7"
    cache.delete(f"rate:verify:{ip}")  # the counter lives in the shared Redis, not in the test transaction
    codes = [client.get(f"/verify/X-{i}/", REMOTE_ADDR=ip).status_code for i in range(3)]
    assert codes == [404, 404, 429]
    api = APIClient().get("/api/v1/verify/X/", REMOTE_ADDR=ip)
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"
