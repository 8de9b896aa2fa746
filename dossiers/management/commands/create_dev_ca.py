"""Create a development CA and one PKCS#12 signing certificate per agency under SIGNING_DIR (idempotent)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import Agency
from dossiers.documents.signing import CA_CERT_NAME, CA_KEY_NAME, p12_path

# Fixed start so certificates stay valid under frozen test clocks and old demo data.
NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2045, 12, 31, tzinfo=dt.UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Một cửa (phát triển)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ensure_ca(directory: Path) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """Load the development CA from the directory, creating it the first time."""
    cert_path, key_path = directory / CA_CERT_NAME, directory / CA_KEY_NAME
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return cert, key
    key = _new_key()
    name = _name("Một cửa Development CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_agency_p12(agency: Agency, ca_cert: x509.Certificate, ca_key, passphrase: str) -> Path:
    """Write {code}.p12 with a signing certificate for the agency (nothing happens if it exists)."""
    path = p12_path(agency.code)
    if path.exists():
        return path
    key = _new_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(agency.name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(agency.code.encode(), key, cert, [ca_cert], encryption)
    tmp = path.with_suffix(".p12.tmp")
    tmp.write_bytes(data)
    tmp.chmod(0o600)
    tmp.replace(path)  # atomic, so a concurrent signer never reads half a file
    return path


class Command(BaseCommand):
    help = "Tạo CA phát triển và chứng thư ký số cho từng cơ quan có cán bộ (hoặc các mã cơ quan được nêu)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Mã cơ quan; mặc định: mọi cơ quan có cán bộ")

    def handle(self, *args, **options):
        codes = options["codes"]
        directory = Path(settings.SIGNING_DIR)
        ca_cert, ca_key = ensure_ca(directory)
        agencies = Agency.objects.all()
        agencies = agencies.filter(code__in=codes) if codes else agencies.filter(memberships__isnull=False)
        created = 0
        for agency in agencies.distinct().order_by("code"):
            existed = p12_path(agency.code).exists()
            issue_agency_p12(agency, ca_cert, ca_key, settings.SIGNING_P12_PASSPHRASE)
            created += not existed
        self.stdout.write(f"Signing directory {directory}: CA ready, {created} new agency certificate(s).")
