"""Shared steps of the portal tests: a citizen files a dossier online through the portal's services."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.lifecycle import portal
from tests.pdfs import blank_pdf


def pdf_upload(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


def file_online(citizen, ward, procedure, **draft_fields):
    """Start a draft, upload every component, give an address, submit: the dossier as the portal files it."""
    draft = portal.start_draft(citizen, procedure, ward)
    for requirement in procedure.requirements.all():
        portal.attach_to_draft(citizen, draft, requirement.pk, pdf_upload(f"{requirement.order}.pdf"))
    portal.save_draft(citizen, draft, {"applicant_address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội", **draft_fields})
    return portal.submit_draft(citizen, draft)
