"""Pull from the National Public Service Portal: dossiers filed there join the clerk's "Chờ tiếp nhận" queue.

Each portal record is read whole (its fields, its procedure and agency, every component file downloaded and
checked) before anything is written; a record that fails any check is skipped and logged, never half-written,
and the next pull tries it again. Taking it in is lifecycle.intake.take_in_from_portal, idempotent by the
portal's code, so a record served twice (a pull that died, two pulls at once) makes one dossier.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from accounts.models import Agency
from config.errors import DomainError
from dossiers.documents.uploads import check_file
from dossiers.lifecycle.intake import PortalComponent
from dossiers.lifecycle.services import take_in_from_portal
from dossiers.models import Dossier
from dossiers.national import dvcqg_client
from dossiers.national.dvcqg_payload import LIMITS, parse_portal_date
from procedures.models import DocumentRequirement, Procedure
from procedures.text import fold

logger = logging.getLogger(__name__)


class Malformed(Exception):
    """A portal record that cannot be taken in as it is."""


@dataclass
class PullReport:
    created: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # code -> why

    def as_dict(self) -> dict:
        return {"created": len(self.created), "already": len(self.already), "skipped": len(self.skipped)}


def _text(record: dict, name: str, *, required: bool = True, limit: int | None = None) -> str:
    value = record.get(name)
    if value is None or value == "":
        if required:
            raise Malformed(f"{name}: required")
        return ""
    if not isinstance(value, str):
        raise Malformed(f"{name}: not a string")
    if limit is not None and len(value) > limit:
        raise Malformed(f"{name}: longer than {limit}")
    return value.strip()


def _requirement(procedure: Procedure, component: dict) -> DocumentRequirement | None:
    requirements = list(procedure.requirements.all())
    order = component.get("ThuTu")
    for r in requirements:
        if isinstance(order, int) and not isinstance(order, bool) and r.order == order:
            return r
    wanted = fold(str(component.get("TenGiayTo") or ""))
    return next((r for r in requirements if fold(r.name) == wanted), None)


def _component(procedure: Procedure, component) -> PortalComponent:
    if not isinstance(component, dict):
        raise Malformed("ThanhPhanHoSo: an item is not an object")
    requirement = _requirement(procedure, component)
    attached = component.get("TepDinhKem")
    if not isinstance(attached, dict) or not isinstance(attached.get("Id"), str):
        raise Malformed(f"ThanhPhanHoSo {component.get('TenGiayTo')!r}: no file")
    answer = dvcqg_client.attachment(attached["Id"])
    try:
        content = base64.b64decode(answer.get("NoiDung") or "", validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise Malformed(f"file {attached['Id']}: not base64") from exc
    name = str(answer.get("TenTep") or attached.get("TenTep") or "thanh-phan.pdf")[:200]
    file = ContentFile(content, name=name)
    try:
        checked = check_file(file, requirement)
    except DomainError as exc:
        raise Malformed(f"file {attached['Id']}: {exc.en}") from exc
    return PortalComponent(requirement=requirement, name=name, content=content, checked=checked)


def take_in(record) -> tuple[Dossier, bool]:
    """One portal record taken in; Malformed when it cannot be."""
    if not isinstance(record, dict):
        raise Malformed("not an object")
    code = _text(record, "MaHoSo", limit=40)
    procedure = Procedure.objects.filter(
        code=_text(record, "MaTTHC", limit=LIMITS["MaTTHC"]), active=True
    ).first()
    if procedure is None:
        raise Malformed(f"MaTTHC {record.get('MaTTHC')!r}: no such procedure here")
    agency = Agency.objects.filter(code=_text(record, "MaDonViTiepNhan", limit=50), active=True).first()
    if agency is None:
        raise Malformed(f"MaDonViTiepNhan {record.get('MaDonViTiepNhan')!r}: no such agency here")
    try:
        filed_at = parse_portal_date(_text(record, "NgayNopHoSo"))
    except ValueError as exc:
        raise Malformed("NgayNopHoSo: not yyyyMMddHHmmss") from exc
    existing = Dossier.objects.filter(national_code=code).first()
    if existing is not None:
        return existing, False  # no download for a record already taken in
    items = record.get("ThanhPhanHoSo") or []
    if not isinstance(items, list):
        raise Malformed("ThanhPhanHoSo: not a list")
    components = [_component(procedure, c) for c in items]
    applicant = {
        "name": _text(record, "ChuHoSo", limit=255),
        "id_number": _text(record, "SoGiayToChuHoSo", limit=12),
        "phone": _text(record, "SoDienThoaiChuHoSo", required=False, limit=20),
        "email": _text(record, "EmailChuHoSo", required=False, limit=254),
        "address": _text(record, "DiaChiChuHoSo", required=False, limit=500),
    }
    try:
        return take_in_from_portal(
            national_code=code,
            agency=agency,
            procedure=procedure,
            applicant=applicant,
            subject=_text(record, "TrichYeuHoSo", required=False, limit=LIMITS["TrichYeuHoSo"]),
            filed_at=filed_at,
            vneid_verified=record.get("TaiKhoanDuocXacThucVoiVNeID") == 1,
            components=components,
        )
    except DomainError as exc:
        raise Malformed(exc.en) from exc


def pull() -> PullReport:
    """Take in every dossier the portal lists; LinkError (the portal is down) propagates to the caller."""
    report = PullReport()
    for record in dvcqg_client.filed_online():
        code = str(record.get("MaHoSo") if isinstance(record, dict) else "?")[:60]
        try:
            dossier, created = take_in(record)
        except Malformed as exc:
            logger.warning("dvcqg pull: record %s skipped: %s", code, exc)
            report.skipped[code] = str(exc)
            continue
        (report.created if created else report.already).append(dossier.code)
    if report.created or report.skipped:
        logger.info("dvcqg pull: %s", report.as_dict())
    return report
