"""HTTP client of the National Public Service Portal (DVCQG_URL, DVCQG_TOKEN), through national.http."""

from __future__ import annotations

from django.conf import settings

from dossiers.national import http
from dossiers.national.dvcqg_payload import PROGRESS, UPSERT

LINK = "dvcqg"
OK = "00"


class Refused(Exception):
    """The portal answered but did not accept the request (a 4xx or an error_code other than "00")."""

    def __init__(self, status: int, body: dict):
        super().__init__(f"HTTP {status}: {str(body)[:500]}")
        self.status = status
        self.body = body


def _url(path: str) -> str:
    return f"{settings.DVCQG_URL.rstrip('/')}/api/hoso/{path}"


def _headers() -> dict:
    return {"Authorization": f"Bearer {settings.DVCQG_TOKEN}"}


def _checked(answer: http.Answer) -> dict:
    if answer.status >= 400 or answer.body.get("error_code") != OK:
        raise Refused(answer.status, answer.body)
    return answer.body


def post(service: str, records: list[dict], **extra) -> dict:
    body = {"service": service, "data": records, **extra}
    return _checked(http.call(LINK, "POST", _url(service), json=body, headers=_headers()))


def upsert(records: list[dict]) -> dict:
    return post(UPSERT, records, isUpdating=True)


def progress(records: list[dict]) -> dict:
    return post(PROGRESS, records)


def lookup(codes: list[str]) -> list[dict]:
    """The portal's view of these dossiers (TraCuuHoSo): one row each that it knows."""
    body = _checked(
        http.call(
            LINK,
            "POST",
            _url("TraCuuHoSo"),
            json={"service": "TraCuuHoSo", "MaHoSo": codes},
            headers=_headers(),
        )
    )
    return list(body.get("data") or [])


def filed_online() -> list[dict]:
    """Dossiers filed on the portal for this system's agencies, not yet taken in (each names its
    receiving agency, MaDonViTiepNhan)."""
    body = _checked(http.call(LINK, "GET", _url("LayDanhSachHoSo"), headers=_headers()))
    return list(body.get("data") or [])


def attachment(file_id: str) -> dict:
    """One component file of a portal-filed dossier: {"TenTep", "MimeType", "NoiDung" (base64)}."""
    return _checked(http.call(LINK, "GET", _url("TepDinhKem"), params={"Id": file_id}, headers=_headers()))
