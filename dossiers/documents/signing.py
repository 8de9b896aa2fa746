"""PAdES signing of issued PDFs with the agency PKCS#12, and validation against the configured trust roots."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from config.errors import DomainError, InvalidInput

CA_CERT_NAME = "ca.pem"
CA_KEY_NAME = "ca.key.pem"


class SigningUnavailable(DomainError):
    code = "signing_unavailable"


def p12_path(agency_code: str) -> Path:
    return Path(settings.SIGNING_DIR) / f"{agency_code}.p12"


@functools.lru_cache(maxsize=64)
def _load_signer(path: str, mtime: float, passphrase: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise SigningUnavailable(
            "Không đọc được chứng thư số của cơ quan.", f"Could not load the PKCS#12 file {path}."
        )
    return signer


def signer_for(agency_code: str) -> signers.SimpleSigner:
    """The agency's signer, cached per process until the file changes."""
    path = p12_path(agency_code)
    if not path.exists():
        raise SigningUnavailable(
            f"Chưa có chứng thư số cho cơ quan {agency_code}.",
            f"No signing certificate for agency {agency_code} at {path}.",
        )
    return _load_signer(str(path), path.stat().st_mtime, settings.SIGNING_P12_PASSPHRASE)


def signer_name(signer: signers.SimpleSigner) -> str:
    subject = signer.signing_cert.subject.native
    return subject.get("common_name") or signer.signing_cert.subject.human_friendly


def sign_pdf(
    pdf: bytes,
    agency_code: str,
    *,
    reason: str = "Kết quả giải quyết thủ tục hành chính",
    signed_by: str = "",
    location: str = "",
) -> tuple[bytes, dict]:
    """Sign a PDF (PAdES baseline B) for the agency; returns the signed bytes and the signature summary.
    `signed_by` (the leader's name and office) and `location` (the agency) go into the signature dictionary
    beside the agency's certificate, as readers show them."""
    signer = signer_for(agency_code)
    meta = signers.PdfSignatureMetadata(
        field_name="ChuKySo",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        md_algorithm="sha256",
        name=signed_by or None,
        location=location or None,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, signer=signer)
    cert = signer.signing_cert
    info = {
        "signer": signer_name(signer),
        "agency_code": agency_code,
        "certificate_serial": format(cert.serial_number, "x"),
        "issuer": cert.issuer.human_friendly,
        "subfilter": "ETSI.CAdES.detached",
        "signed_by": signed_by,
    }
    return out.getvalue(), info


def trust_roots() -> list[asn1_x509.Certificate]:
    """SIGNING_TRUST_ROOTS (PEM or DER files) in production; the development CA otherwise."""
    paths = [Path(p) for p in settings.SIGNING_TRUST_ROOTS] or [Path(settings.SIGNING_DIR) / CA_CERT_NAME]
    roots = []
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes()
        if data.lstrip().startswith(b"-----BEGIN"):
            from asn1crypto import pem

            for _type, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


@dataclass
class Verdict:
    """The outcome of checking a PDF's signature, in a form templates and the API can show."""

    valid: bool
    signed: bool
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    signer: str = ""
    issuer: str = ""
    signed_at: str = ""
    message: str = ""
    message_en: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def verify_pdf(data: bytes) -> Verdict:
    """Validate the first signature of a PDF; any change after signing makes it invalid."""
    if not data.startswith(b"%PDF-"):
        raise InvalidInput("Tệp không phải PDF.", "The file is not a PDF.", code="not_pdf")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a damaged file is a verdict, not a server error
        return Verdict(
            valid=False,
            signed=False,
            message="Tệp PDF bị hỏng hoặc đã bị sửa đổi.",
            message_en="The PDF is damaged or was altered.",
        )
    if not signatures:
        return Verdict(
            valid=False,
            signed=False,
            message="Tệp không có chữ ký số.",
            message_en="The file carries no digital signature.",
        )
    try:
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=trust_roots()))
    except Exception:
        return Verdict(
            valid=False,
            signed=True,
            message="Chữ ký số không kiểm tra được; tệp có thể đã bị sửa.",
            message_en="The signature could not be checked; the file may have been altered.",
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    valid = bool(status.bottom_line and whole)
    cert = status.signing_cert
    signed_at = status.signer_reported_dt
    verdict = Verdict(
        valid=valid,
        signed=True,
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        covers_whole_file=whole,
        signer=(cert.subject.native.get("common_name") or cert.subject.human_friendly) if cert else "",
        issuer=cert.issuer.human_friendly if cert else "",
        signed_at=signed_at.isoformat() if signed_at else "",
    )
    if valid:
        verdict.message, verdict.message_en = "Chữ ký số hợp lệ.", "The signature is valid."
    elif not status.intact or not whole:
        verdict.message = "Tệp đã bị sửa đổi sau khi ký: chữ ký không còn hiệu lực."
        verdict.message_en = "The file was changed after signing: the signature is invalid."
    else:
        verdict.message = "Chứng thư ký không thuộc cơ quan chứng thực tin cậy."
        verdict.message_en = "The signing certificate does not chain to a trusted root."
    return verdict
