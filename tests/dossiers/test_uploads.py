"""Uploads: content-sniffed, size-limited, checksummed files in the storage API; refusals leave nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import Conflict, InvalidInput
from dossiers.documents.uploads import attach_component
from dossiers.models import Document, Dossier, Status
from tests import factories
from tests.pdfs import blank_pdf

PDF = blank_pdf()  # a real PDF: uploads are read with pypdf
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


@pytest.fixture
def received(ward, birth_registration):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("to-khai.pdf", PDF, "application/pdf"),
        ("giay-chung-sinh.png", PNG, "image/png"),
        ("scan.JPG", JPEG, "image/jpeg"),
        ("no-extension", PDF, "application/pdf"),  # the content decides, not the name
    ],
)
def test_accepted_files_are_stored_with_their_checksum(media_root, received, clerk, name, content, mime):
    requirement = received.procedure.requirements.first()
    doc = attach_component(
        received, requirement, SimpleUploadedFile(name, content, "application/octet-stream"), clerk
    )
    assert (doc.content_type, doc.size, doc.sha256) == (
        mime,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert default_storage.open(doc.file.name).read() == content
    assert doc.digitised and doc.uploaded_by == clerk and doc.requirement == requirement
    assert received.events.filter(action="document_attached", payload__document_id=doc.pk).exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("to-khai.pdf", EXE, "file_type"),  # a renamed Windows executable
        ("anh.png", ELF, "file_type"),  # a renamed Linux executable
        ("ghi-chu.pdf", b"just some text", "file_type"),
        ("rong.pdf", b"", "file_empty"),
    ],
)
def test_refused_files_give_a_clear_message_and_leave_nothing(
    media_root, received, clerk, name, content, code
):
    with pytest.raises(InvalidInput) as err:
        attach_component(received, None, SimpleUploadedFile(name, content), clerk)
    assert err.value.code == code and err.value.vi
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(media_root, settings, received, clerk):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as err:
        attach_component(received, None, SimpleUploadedFile("big.pdf", PDF + b"0" * 2000), clerk)
    assert err.value.code == "file_too_large" and "tối đa" in err.value.vi
    assert stored_files(media_root) == []


def test_a_format_the_component_does_not_accept_is_refused(media_root, received, clerk):
    requirement = received.procedure.requirements.first()
    requirement.formats = "pdf"
    requirement.save()
    with pytest.raises(InvalidInput):
        attach_component(received, requirement, SimpleUploadedFile("anh.png", PNG), clerk)


def test_a_component_of_another_procedure_is_refused_before_storing(media_root, received, clerk):
    other_procedure = factories.procedure()
    with pytest.raises(InvalidInput):
        attach_component(
            received, other_procedure.requirements.first(), SimpleUploadedFile("a.pdf", PDF), clerk
        )
    assert stored_files(media_root) == []


def test_dossier_is_digitised_once_every_required_component_has_a_digitised_file(media_root, received, clerk):
    first, second = received.procedure.requirements.order_by("order")
    attach_component(received, first, SimpleUploadedFile("a.pdf", PDF), clerk)
    assert not Dossier.objects.get(pk=received.pk).is_digitised
    attach_component(received, second, SimpleUploadedFile("b.pdf", PDF), clerk, digitised=False)
    assert not Dossier.objects.get(pk=received.pk).is_digitised
    attach_component(received, second, SimpleUploadedFile("c.png", PNG), clerk)
    assert Dossier.objects.get(pk=received.pk).is_digitised


def test_a_closed_dossier_takes_no_more_files(media_root, ward, birth_registration, clerk):
    closed = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    with pytest.raises(Conflict):
        attach_component(closed, None, SimpleUploadedFile("a.pdf", PDF), clerk)
    assert stored_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_a_failure_at_commit_removes_the_stored_file(
    flushable_event_log, media_root, ward, birth_registration, clerk
):
    from django.db import IntegrityError

    received = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    requirement = birth_registration.requirements.first()
    birth_registration.requirements.filter(
        pk=requirement.pk
    ).delete()  # gone meanwhile: the FK fails at commit
    with pytest.raises(IntegrityError):
        attach_component(received, requirement, SimpleUploadedFile("a.pdf", PDF), clerk)
    assert not Document.objects.exists() and stored_files(media_root) == []
