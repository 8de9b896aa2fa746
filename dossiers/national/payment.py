"""The DVCQG Payment Platform's protocol: the payment request, the status query and the MaXacThuc checksum.

Every call goes through national.http (timeouts, the link's health). MaXacThuc is the SHA-256 (hex) of
the fields' values in their listed order joined by "|", then "|" and PAYMENT_SECRET. A confirmation (the
platform's notice to our callback, or its answer to a status query) carries NOTICE_FIELDS; `verified`
checks its shape and its checksum, and nothing else in the product reads a confirmation that did not pass.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dossiers.models import PaymentTransaction
from dossiers.national.http import call
from dossiers.national.links import LinkError
from procedures.calendar import LOCAL_TZ

LINK = "payment"
INIT_FIELDS = ("MaDoiTac", "MaGiaoDich", "MaHoSo", "SoTien", "NoiDung", "UrlTraVe", "UrlThongBao", "ThoiGian")
QUERY_FIELDS = ("MaDoiTac", "MaGiaoDich", "ThoiGian")
NOTICE_FIELDS = (
    "MaDoiTac",
    "MaGiaoDich",
    "MaThamChieu",
    "SoTien",
    "TrangThai",
    "ThoiGianThanhToan",
    "ThoiGian",
)
# The platform's TrangThai codes.
STATES = {
    "00": PaymentTransaction.State.PAID,
    "01": PaymentTransaction.State.PENDING,
    "02": PaymentTransaction.State.CANCELLED,
    "03": PaymentTransaction.State.FAILED,
}
STAMP_FORMAT = "%Y%m%d%H%M%S"


class PlatformRefused(Exception):
    """The platform answered, and said no (a 4xx or an error code): our request was wrong or is unknown."""

    def __init__(self, status: int, body: dict):
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Started:
    reference: str
    payment_url: str


@dataclass(frozen=True)
class Confirmation:
    """A confirmation whose checksum verified."""

    code: str
    reference: str
    amount: int
    state: str  # a PaymentTransaction.State
    paid_at: datetime | None
    sent_at: datetime
    body: dict


def checksum(body: dict, names: tuple[str, ...], secret: str | None = None) -> str:
    secret = settings.PAYMENT_SECRET if secret is None else secret
    text = "|".join(str(body.get(name, "")) for name in names) + "|" + secret
    return hashlib.sha256(text.encode()).hexdigest()


def stamp(at: datetime | None = None) -> str:
    return (at or timezone.now()).astimezone(LOCAL_TZ).strftime(STAMP_FORMAT)


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, STAMP_FORMAT).replace(tzinfo=LOCAL_TZ)


def _signed(body: dict, names: tuple[str, ...]) -> dict:
    return {**body, "MaXacThuc": checksum(body, names)}


def return_url(txn: PaymentTransaction) -> str:
    return settings.PAYMENT_RETURN_BASE_URL + reverse("payment-return", args=[txn.code])


def notice_url() -> str:
    return settings.PAYMENT_RETURN_BASE_URL + reverse("payment-notice")


def start(txn: PaymentTransaction, description: str) -> Started:
    """Ask the platform for the payment page of `txn`. Raises LinkError (no answer) or PlatformRefused.
    Asking again for the same transaction code gives the same page (the platform keys on it)."""
    body = _signed(
        {
            "MaDoiTac": settings.PAYMENT_MERCHANT_CODE,
            "MaGiaoDich": txn.code,
            "MaHoSo": txn.dossier.code,
            "SoTien": txn.amount,
            "NoiDung": description[:255],
            "UrlTraVe": return_url(txn),
            "UrlThongBao": notice_url(),
            "ThoiGian": stamp(),
        },
        INIT_FIELDS,
    )
    answer = call(LINK, "POST", f"{settings.PAYMENT_URL}/api/thanh-toan/khoi-tao", json=body)
    if answer.status != 200 or answer.body.get("error_code") != "00":
        raise PlatformRefused(answer.status, answer.body)
    reference, url = answer.body.get("MaThamChieu"), answer.body.get("UrlThanhToan")
    if (
        not isinstance(reference, str)
        or not isinstance(url, str)
        or not url.startswith(("http://", "https://"))
    ):
        raise LinkError(LINK, f"init answer without a reference or a payment URL: {answer.body}")
    return Started(reference=reference[:64], payment_url=url[:1000])


def query(txn: PaymentTransaction) -> dict:
    """The platform's answer about `txn`, unverified (give it to `verified`). Raises LinkError or
    PlatformRefused (404: the platform does not know the transaction)."""
    body = _signed(
        {"MaDoiTac": settings.PAYMENT_MERCHANT_CODE, "MaGiaoDich": txn.code, "ThoiGian": stamp()},
        QUERY_FIELDS,
    )
    answer = call(LINK, "POST", f"{settings.PAYMENT_URL}/api/thanh-toan/truy-van", json=body)
    if answer.status != 200 or answer.body.get("error_code") != "00":
        raise PlatformRefused(answer.status, answer.body)
    return answer.body


class Unverified(Exception):
    """A confirmation that is not one: malformed, another merchant's, or its checksum does not match."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def verified(body) -> Confirmation:
    """The confirmation in `body` once its shape and its MaXacThuc are right; Unverified otherwise."""
    if not isinstance(body, dict):
        raise Unverified("malformed")
    for name in (*NOTICE_FIELDS, "MaXacThuc"):
        if name == "SoTien":
            ok = isinstance(body.get(name), int) and not isinstance(body.get(name), bool)
        else:
            ok = isinstance(body.get(name), str)
        if not ok:
            raise Unverified("malformed")
    if body["MaDoiTac"] != settings.PAYMENT_MERCHANT_CODE:
        raise Unverified("merchant")
    if not hmac.compare_digest(body["MaXacThuc"].lower(), checksum(body, NOTICE_FIELDS)):
        raise Unverified("checksum")
    if body["TrangThai"] not in STATES:
        raise Unverified("malformed")
    try:
        sent_at = parse_stamp(body["ThoiGian"])
        paid_at = parse_stamp(body["ThoiGianThanhToan"]) if body["ThoiGianThanhToan"] else None
    except ValueError:
        raise Unverified("malformed") from None
    return Confirmation(
        code=body["MaGiaoDich"],
        reference=body["MaThamChieu"],
        amount=body["SoTien"],
        state=STATES[body["TrangThai"]],
        paid_at=paid_at,
        sent_at=sent_at,
        body=body,
    )
