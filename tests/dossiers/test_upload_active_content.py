"""Uploaded PDFs with active content are refused, and stored file names carry no control or direction
characters; the PDFs are real files built with pypdf."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import InvalidInput
from dossiers.documents.uploads import attach_component, clean_file_name
from dossiers.models import Document, Status
from tests import factories, pdfs
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ACTIVE = {
    "document JavaScript": pdfs.with_document_javascript,
    "JavaScript on open": pdfs.with_open_action_javascript,
    "additional action (/AA)": pdfs.with_page_additional_action,
    "launch a program": pdfs.with_launch_action,
    "embedded file": pdfs.with_embedded_file,
    "RichMedia": pdfs.with_rich_media,
    "XFA form": pdfs.with_xfa,
    "JavaScript behind an empty password": lambda: pdfs.encrypted("", javascript=True),
}


@pytest.fixture
def received(ward, birth_registration):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


def upload(clerk, dossier, data: bytes, name: str = "to-khai.pdf"):
    return client_for(clerk).post(
        f"/api/v1/dossiers/{dossier.code}/documents/",
        {"file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


@pytest.mark.parametrize("build", ACTIVE.values(), ids=ACTIVE.keys())
def test_a_pdf_with_active_content_is_refused_with_a_bilingual_message(clerk, media_root, received, build):
    response = upload(clerk, received, build())
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "pdf_active_content"
    assert "JavaScript" in error["message"] and "JavaScript" in error["message_en"]
    assert error["fields"]["file"]["message"] == error["message"]
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "data", [pdfs.blank_pdf(), pdfs.with_open_action_destination(), pdfs.encrypted("")], ids=str
)
def test_a_clean_pdf_is_accepted(clerk, media_root, received, data):
    assert upload(clerk, received, data).status_code == 201


def test_a_pdf_behind_a_password_is_refused(clerk, media_root, received):
    response = upload(clerk, received, pdfs.encrypted("bi-mat"))
    assert response.status_code == 400 and response.json()["error"]["code"] == "pdf_encrypted"


def test_a_pdf_that_cannot_be_read_is_refused(clerk, media_root, received):
    response = upload(clerk, received, b"%PDF-1.4\n%not really a pdf\n")
    assert response.status_code == 400 and response.json()["error"]["code"] == "pdf_unreadable"


def test_the_service_refuses_active_content_whatever_the_caller(clerk, media_root, received):
    with pytest.raises(InvalidInput) as refused:
        attach_component(received, None, SimpleUploadedFile("a.pdf", pdfs.with_document_javascript()), clerk)
    assert refused.value.code == "pdf_active_content"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hoa-don\u202egpj.exe", "hoa-dongpj.exe"),
        ("\u2066to-khai\u2069.pdf", "to-khai.pdf"),
        ("a\u200e\u200fb.pdf", "ab.pdf"),
        ("a\u202a\u202b\u202c\u202db.pdf", "ab.pdf"),
        ("tab\there\r\n.pdf", "tabhere.pdf"),
        ("C:\\Users\\binh\\Tờ khai.pdf", "Tờ khai.pdf"),
        ("../../etc/passwd", "passwd"),
        ("Giấy chứng sinh.pdf", "Giấy chứng sinh.pdf"),
    ],
)
def test_file_names_lose_control_and_direction_characters(name, expected):
    assert clean_file_name(name) == expected


def test_a_stored_document_name_has_no_direction_override(clerk, media_root, received):
    doc = attach_component(
        received, None, SimpleUploadedFile("hoa-don\u202egpj.exe.pdf", pdfs.blank_pdf()), clerk
    )
    assert doc.name == "hoa-dongpj.exe.pdf"
    assert "\u202e" not in doc.file.name
    event = received.events.get(action="document_attached")
    assert event.payload["name"] == "hoa-dongpj.exe.pdf"
