"""The National Public Service Portal's shapes: DongBoHoSoMC (upsert) and CapNhatTienDoHoSoMC (progress).

Everything here is pure mapping from our rows to the portal's fields: national status and channel codes,
`yyyyMMddHHmmss` dates in Asia/Ho_Chi_Minh, and each text cut to the portal's length limit, so no dossier,
however long its applicant's name or subject, makes a payload the portal refuses.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from dossiers.models import Document, Dossier, DossierEvent
from dossiers.models.dossier import CHANNEL_CODES, NATIONAL_CODES

PORTAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
DATE_PATTERN = r"\d{14}"
STATUS_CODES = tuple(str(n) for n in range(1, 11))
CHANNEL_VALUES = ("1", "2", "3")

# Field length limits of the portal (verify against the official specification before production).
LIMITS = {
    "MaHoSo": 50,
    "MaTTHC": 50,
    "TenTTHC": 1000,
    "ChuHoSo": 255,
    "SoGiayToChuHoSo": 20,
    "DiaChiChuHoSo": 500,
    "SoDienThoaiChuHoSo": 20,
    "EmailChuHoSo": 100,
    "TrichYeuHoSo": 1000,
    "DonViXuLy": 50,
    "TenDonViXuLy": 255,
    "TenGiayTo": 500,
    "NguoiXuLy": 255,
    "ChucDanh": 255,
    "PhongBanXuLy": 255,
    "NoiDungXuLy": 2000,
}
UPSERT = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"

# What each action is called in the portal's processing history (QuaTrinhXuLyHoSo.NoiDungXuLy).
ACTION_TEXT = {
    "submit": "Nộp hồ sơ trực tuyến",
    "receive": "Tiếp nhận hồ sơ",
    "refuse_intake": "Từ chối tiếp nhận hồ sơ",
    "forward": "Chuyển xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Bổ sung hồ sơ",
    "expire_supplement": "Quá hạn bổ sung hồ sơ",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận đã thực hiện nghĩa vụ tài chính",
    "apologize": "Xin lỗi và hẹn lại ngày trả kết quả",
    "withdraw": "Công dân rút hồ sơ",
    "stop": "Dừng xử lý hồ sơ",
    "resolve": "Đã xử lý xong",
    "return_result": "Trả kết quả",
}


def clip(name: str, value: str | None) -> str:
    """The text within the field's limit, whitespace folded (a cut never leaves a dangling space)."""
    text = " ".join(str(value or "").split())
    return text[: LIMITS[name]].rstrip()


def portal_date(value: datetime | None) -> str:
    """`yyyyMMddHHmmss` in Vietnam's time, or "" when the date is not known yet."""
    return value.astimezone(PORTAL_TZ).strftime(DATE_FORMAT) if value else ""


def parse_portal_date(text: str) -> datetime:
    """The portal's `yyyyMMddHHmmss` (Vietnam's time) as an aware datetime; ValueError when malformed."""
    return datetime.strptime(text, DATE_FORMAT).replace(tzinfo=PORTAL_TZ)


def status_code(status: str) -> str:
    return str(NATIONAL_CODES.get(status, 1))


def portal_code(dossier: Dossier) -> str:
    """The dossier's code on the portal: the one it was filed with there, else ours."""
    return dossier.national_code or dossier.code


def _flag(value: bool) -> int:
    return 1 if value else 0


def component_rows(documents: list[Document]) -> list[dict]:
    rows = []
    for doc in documents:
        rows.append(
            {
                "TenGiayTo": clip("TenGiayTo", doc.name) or "Thành phần hồ sơ",
                "DuocSoHoa": _flag(doc.digitised),
                "DuocTaiSuDung": _flag(doc.reused_from_id is not None),
                # Taken from the national data warehouse: a reused result or component issued by a
                # competent agency (a signed document), as opposed to a citizen's own earlier scan.
                "DuocLayTuKhoDMQG": _flag(doc.reused_from_id is not None and doc.signed),
            }
        )
    return rows


def upsert_record(dossier: Dossier, documents: list[Document]) -> dict:
    """One DongBoHoSoMC record: the dossier as it is now (the portal replaces what it had)."""
    received = dossier.received_at or dossier.submitted_at
    return {
        "MaHoSo": clip("MaHoSo", portal_code(dossier)),
        "MaTTHC": clip("MaTTHC", dossier.procedure.code),
        "TenTTHC": clip("TenTTHC", dossier.procedure.name),
        "KenhThucHien": str(CHANNEL_CODES.get(dossier.channel, 1)),
        "ChuHoSo": clip("ChuHoSo", dossier.applicant_name),
        "SoGiayToChuHoSo": clip("SoGiayToChuHoSo", dossier.applicant_id_number),
        "DiaChiChuHoSo": clip("DiaChiChuHoSo", dossier.applicant_address),
        "SoDienThoaiChuHoSo": clip("SoDienThoaiChuHoSo", dossier.applicant_phone),
        "EmailChuHoSo": clip("EmailChuHoSo", dossier.applicant_email),
        "TrichYeuHoSo": clip("TrichYeuHoSo", dossier.subject or dossier.procedure.name),
        "NgayTiepNhan": portal_date(received),
        "NgayHenTra": portal_date(dossier.due_at),
        "NgayKetThucXuLy": portal_date(dossier.finished_at),
        "NgayTra": portal_date(dossier.returned_at),
        "TrangThaiHoSo": status_code(dossier.status),
        "DonViXuLy": clip("DonViXuLy", dossier.competent_agency.code),
        "TenDonViXuLy": clip("TenDonViXuLy", dossier.competent_agency.name),
        "HoSoCoThanhPhanSoHoa": _flag(dossier.is_digitised),
        "TaiKhoanDuocXacThucVoiVNeID": _flag(dossier.vneid_verified),
        "DuocThanhToanTrucTuyen": _flag(dossier.paid_online),
        "ThanhPhanHoSo": component_rows(documents),
    }


def history_row(dossier: Dossier, event: DossierEvent, title: str, unit: str) -> dict:
    """One QuaTrinhXuLyHoSo row: who did what, when, in which unit."""
    text = ACTION_TEXT.get(event.action, event.action)
    if event.note:
        text = f"{text}: {event.note}"
    return {
        "NguoiXuLy": clip("NguoiXuLy", event.actor_name or "Hệ thống"),
        "ChucDanh": clip("ChucDanh", title or "Hệ thống"),
        "ThoiDiemXuLy": portal_date(event.at),
        "PhongBanXuLy": clip("PhongBanXuLy", unit or dossier.receiving_agency.name),
        "NoiDungXuLy": clip("NoiDungXuLy", text),
    }


def progress_record(dossier: Dossier, event: DossierEvent, title: str, unit: str) -> dict:
    """One CapNhatTienDoHoSoMC record: the status the event left and its history row. The dates are the
    event's own (a retried or late progress step still says when it happened)."""
    status = event.to_status or dossier.status
    payload = event.payload or {}
    due = payload.get("new_due_at") or payload.get("due_at")
    record = {
        "MaHoSo": clip("MaHoSo", portal_code(dossier)),
        "TrangThaiHoSo": status_code(status),
        "NgayHenTra": portal_date(datetime.fromisoformat(due)) if due else "",
        "NgayKetThucXuLy": portal_date(event.at) if event.action in FINISHING else "",
        "NgayTra": portal_date(event.at) if event.action == "return_result" else "",
        "QuaTrinhXuLyHoSo": [history_row(dossier, event, title, unit)],
    }
    return record


FINISHING = ("refuse_intake", "expire_supplement", "withdraw", "stop", "resolve")
