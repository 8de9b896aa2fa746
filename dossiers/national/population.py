"""The national population database: look a citizen up by the 12-digit ID (name, date of birth, gender,
permanent address, ID card issue), through national.http with its own short timeout and the link's breaker.

The answer is kept in the cache for POPULATION_CACHE_SECONDS under the ID, so the intake that follows a
desk lookup reads what the server itself was told (`remembered`), never what a browser says it was told.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache

from dossiers.national import http
from dossiers.national.links import LinkError, Name

logger = logging.getLogger(__name__)

LINK = Name.POPULATION
PATH = "/api/cong-dan/tra-cuu"
PURPOSE_INTAKE = "TIEP_NHAN"  # the desk, with the applicant at the counter
PURPOSE_CHECK = "XAC_THUC"  # the periodic check of dossiers received without the link


class Unavailable(Exception):
    """No usable answer: the link is down (or its circuit open), slow past the timeout, or refused a request.
    The desk goes on with manual entry; the dossier is checked later."""


class Refused(Unavailable):
    """The platform answered but refused the request: `status` 400 for this request's data, other statuses
    for what every request shares (the key, the URL)."""

    def __init__(self, detail: str, status: int):
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True)
class Citizen:
    id_number: str
    name: str
    birth_date: date | None
    gender: str  # "male" | "female" | ""
    address: str
    id_issued_on: date | None = None
    id_issued_by: str = ""

    def as_cached(self) -> dict:
        data = asdict(self)
        for key in ("birth_date", "id_issued_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_cached(cls, data: dict) -> Citizen:
        values = dict(data)
        for key in ("birth_date", "id_issued_on"):
            values[key] = date.fromisoformat(values[key]) if values.get(key) else None
        return cls(**values)


def _date(text) -> date | None:
    try:
        return datetime.strptime(str(text), "%Y%m%d").date()
    except ValueError:
        return None


def _citizen(record: dict, id_number: str) -> Citizen:
    gender = {"1": "male", "2": "female"}.get(str(record.get("GioiTinh") or ""), "")
    return Citizen(
        id_number=str(record.get("SoDinhDanh") or id_number),
        name=" ".join(str(record.get("HoVaTen") or "").split()),
        birth_date=_date(record.get("NgaySinh")),
        gender=gender,
        address=" ".join(str(record.get("NoiThuongTru") or "").split())[:500],
        id_issued_on=_date(record.get("NgayCapCCCD")),
        id_issued_by=str(record.get("NoiCapCCCD") or "")[:255],
    )


def _key(id_number: str) -> str:
    return f"population:{id_number}"


def lookup(
    id_number: str, *, agency_code: str, officer: str, purpose: str = PURPOSE_INTAKE
) -> Citizen | None:
    """The citizen with this ID, or None when the database has no such ID; raises Unavailable. The answer is
    remembered (found or not) for the intake that follows."""
    body = {
        "SoDinhDanh": id_number,
        "MaDonVi": agency_code,
        "NguoiYeuCau": officer[:150],
        "MaYeuCau": uuid.uuid4().hex,
        "MucDich": purpose,
    }
    try:
        answer = http.call(
            LINK,
            "POST",
            settings.POPULATION_URL + PATH,
            json=body,
            headers={"X-Api-Key": settings.POPULATION_API_KEY},
            timeout=settings.POPULATION_TIMEOUT,
        )
    except LinkError as exc:
        raise Unavailable(exc.detail) from exc
    code = answer.body.get("error_code")
    if answer.status == 200 and code == "01":
        cache.set(_key(id_number), {"found": False}, settings.POPULATION_CACHE_SECONDS)
        return None
    record = answer.body.get("CongDan")
    if answer.status != 200 or code != "00" or not isinstance(record, dict):
        # A refused request is our fault or our configuration's (the key, the URL): never the citizen's.
        logger.warning("population: lookup refused (HTTP %s): %s", answer.status, str(answer.body)[:500])
        raise Refused(f"HTTP {answer.status}: {str(answer.body)[:300]}", answer.status)
    citizen = _citizen(record, id_number)
    cache.set(
        _key(id_number), {"found": True, "citizen": citizen.as_cached()}, settings.POPULATION_CACHE_SECONDS
    )
    return citizen


NOT_LOOKED_UP = object()


def remembered(id_number: str):
    """What the last lookup of this ID answered, while it is kept: a Citizen, None (not in the database), or
    NOT_LOOKED_UP. Reads the cache only (no call to the platform)."""
    entry = cache.get(_key(id_number))
    if not isinstance(entry, dict):
        return NOT_LOOKED_UP
    if not entry.get("found"):
        return None
    try:
        return Citizen.from_cached(entry["citizen"])
    except (KeyError, TypeError, ValueError):
        return NOT_LOOKED_UP
