"""Signing: a result signed with the agency's certificate validates; any change after signing is reported."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from config.errors import InvalidInput
from dossiers.documents.issuing import render_result
from dossiers.documents.signing import SigningUnavailable, p12_path, sign_pdf, verify_pdf
from dossiers.models import Outcome, Status
from tests import factories


@pytest.fixture
def resolved(ward, birth_registration):
    return factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RESOLVED, outcome=Outcome.APPROVED
    )


@pytest.fixture
def signed_pdf(pki, resolved):
    data, info = sign_pdf(render_result(resolved, "test-token"), resolved.competent_agency.code)
    return data, info


def test_create_dev_ca_is_idempotent_and_covers_agencies_with_staff(settings, tmp_path, ward, clerk):
    settings.SIGNING_DIR = tmp_path
    call_command("create_dev_ca", stdout=open("/dev/null", "w"))
    first = p12_path(ward.code).read_bytes()
    call_command("create_dev_ca", stdout=open("/dev/null", "w"))
    assert p12_path(ward.code).read_bytes() == first
    assert (tmp_path / "ca.pem").exists()
    assert not any(
        p.name.startswith("000.00.00.T01") for p in tmp_path.iterdir()
    )  # the province has no staff


def test_signed_result_validates_against_the_dev_ca(signed_pdf, ward):
    data, info = signed_pdf
    verdict = verify_pdf(data)
    assert verdict.valid and verdict.intact and verdict.trusted and verdict.covers_whole_file
    assert verdict.signer == ward.name == info["signer"]
    assert verdict.signed_at


def test_a_byte_changed_inside_the_signed_range_is_detected(signed_pdf):
    data, _ = signed_pdf
    tampered = data.replace(b"/MediaBox", b"/MediaBoX", 1)
    if tampered == data:  # fall back to flipping a byte early in the file
        tampered = data[:200] + bytes([data[200] ^ 1]) + data[201:]
    verdict = verify_pdf(tampered)
    assert not verdict.valid
    assert "sửa" in verdict.message


def test_content_appended_after_signing_is_detected(signed_pdf):
    data, _ = signed_pdf
    writer = IncrementalPdfFileWriter(BytesIO(data))
    writer.root["/Lang"] = generic.TextStringObject("en")  # e.g. someone edits the document afterwards
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    verdict = verify_pdf(out.getvalue())
    assert not verdict.valid
    assert not verdict.covers_whole_file


def test_a_signature_from_another_ca_is_not_trusted(signed_pdf, settings, tmp_path, ward):
    data, _ = signed_pdf
    settings.SIGNING_DIR = tmp_path  # a different, freshly made CA becomes the only trust root
    call_command("create_dev_ca", ward.code, stdout=open("/dev/null", "w"))
    verdict = verify_pdf(data)
    assert verdict.intact and not verdict.trusted and not verdict.valid


@pytest.mark.parametrize("data", [b"MZ\x90\x00 not a pdf", b"%PDF-1.7\nno signature here\n%%EOF"])
def test_files_that_are_not_signed_pdfs_give_clear_answers(data, pki):
    if data.startswith(b"%PDF"):
        verdict = verify_pdf(data)
        assert not verdict.valid and not verdict.signed
    else:
        with pytest.raises(InvalidInput):
            verify_pdf(data)


def test_signing_for_an_agency_without_a_certificate_is_a_clear_error(pki):
    with pytest.raises(SigningUnavailable) as err:
        sign_pdf(b"%PDF-1.7", "999.99.99.X99")
    assert "chứng thư số" in err.value.vi
