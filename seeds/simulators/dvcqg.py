"""Simulator of the National Public Service Portal (Cổng DVCQG), port 8701.

It checks every field of what it receives (DongBoHoSoMC upserts, CapNhatTienDoHoSoMC progress steps) and
refuses a malformed payload with 400 naming each fault; it keeps the dossiers it received (TraCuuHoSo answers
from them, for reconciliation) and serves the dossiers citizens "filed on the portal" (LayDanhSachHoSo, with
their component files from TepDinhKem) until the provincial system sends them back with an upsert.
    POST /_sim/filed   {"data": [record, ...]}   add portal-filed dossiers (tests, the demo)
    GET  /_sim/dossiers                          what the portal holds
"""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime

from seeds.simulators.base import Fields, Invalid, Request, Simulator

TOKEN = "dvcqg-dev-token"
DATE = r"\d{14}"
STATUS = tuple(str(n) for n in range(1, 11))
CHANNEL = ("1", "2", "3")
UPSERT_FIELDS = {
    "MaHoSo", "MaTTHC", "TenTTHC", "KenhThucHien", "ChuHoSo", "SoGiayToChuHoSo", "DiaChiChuHoSo",
    "SoDienThoaiChuHoSo", "EmailChuHoSo", "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy",
    "NgayTra", "TrangThaiHoSo", "DonViXuLy", "TenDonViXuLy", "HoSoCoThanhPhanSoHoa",
    "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen", "ThanhPhanHoSo",
}  # fmt: skip
PROGRESS_FIELDS = {"MaHoSo", "TrangThaiHoSo", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "QuaTrinhXuLyHoSo"}
COMPONENT_FIELDS = {"TenGiayTo", "DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG"}
HISTORY_FIELDS = {"NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy"}


def date_field(f: Fields, name: str, *, required: bool = False) -> None:
    value = f.text(name, required=required, pattern=DATE)
    if value and re.fullmatch(DATE, value):
        try:
            datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            f._fault(name, "not a real date")


def check_upsert(record, i: int) -> Fields:
    f = Fields(record, prefix=f"data[{i}].")
    f.unknown(UPSERT_FIELDS)
    f.text("MaHoSo", max_len=50)
    f.text("MaTTHC", max_len=50, pattern=r"\d\.\d{6}|[0-9A-Za-z.\-]+")
    f.text("TenTTHC", required=False, max_len=1000)
    f.text("KenhThucHien", choices=CHANNEL)
    f.text("ChuHoSo", max_len=255)
    f.text("SoGiayToChuHoSo", max_len=20, pattern=r"\d{9}|\d{12}")
    f.text("DiaChiChuHoSo", required=False, max_len=500)
    f.text("SoDienThoaiChuHoSo", required=False, max_len=20, pattern=r"\+?\d{9,15}")
    f.text("EmailChuHoSo", required=False, max_len=100, pattern=r"[^@\s]+@[^@\s]+")
    f.text("TrichYeuHoSo", max_len=1000)
    date_field(f, "NgayTiepNhan", required=True)
    for name in ("NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
        date_field(f, name)
    f.text("TrangThaiHoSo", choices=STATUS)
    f.text("DonViXuLy", max_len=50)
    f.text("TenDonViXuLy", required=False, max_len=255)
    for flag in ("HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen"):
        f.flag(flag)
    for j, component in enumerate(f.items("ThanhPhanHoSo")):
        c = Fields(component, prefix=f"{f.prefix}ThanhPhanHoSo[{j}].")
        c.unknown(COMPONENT_FIELDS)
        c.text("TenGiayTo", max_len=500)
        for flag in ("DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG"):
            c.flag(flag)
        f.merge(c)
    return f


def check_progress(record, i: int) -> Fields:
    f = Fields(record, prefix=f"data[{i}].")
    f.unknown(PROGRESS_FIELDS)
    f.text("MaHoSo", max_len=50)
    f.text("TrangThaiHoSo", choices=STATUS)
    for name in ("NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
        date_field(f, name)
    rows = f.items("QuaTrinhXuLyHoSo")
    if isinstance(record, dict) and isinstance(record.get("QuaTrinhXuLyHoSo"), list) and not rows:
        f._fault("QuaTrinhXuLyHoSo", "empty")
    for j, row in enumerate(rows):
        h = Fields(row, prefix=f"{f.prefix}QuaTrinhXuLyHoSo[{j}].")
        h.unknown(HISTORY_FIELDS)
        h.text("NguoiXuLy", max_len=255)
        h.text("ChucDanh", max_len=255)
        date_field(h, "ThoiDiemXuLy", required=True)
        h.text("PhongBanXuLy", max_len=255)
        h.text("NoiDungXuLy", max_len=2000)
        f.merge(h)
    return f


def blank_pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class DvcqgSimulator(Simulator):
    name = "dvcqg"
    default_port = 8701

    def __init__(self, demo: bool = True) -> None:
        super().__init__()
        self.dossiers: dict[str, dict] = {}
        self.filed: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        self.routes.update(
            {
                ("POST", "/api/hoso/DongBoHoSoMC"): self.upsert,
                ("POST", "/api/hoso/CapNhatTienDoHoSoMC"): self.progress,
                ("POST", "/api/hoso/TraCuuHoSo"): self.lookup,
                ("GET", "/api/hoso/LayDanhSachHoSo"): self.list_filed,
                ("GET", "/api/hoso/TepDinhKem"): self.attachment,
                ("POST", "/_sim/filed"): self.add_filed,
                ("GET", "/_sim/dossiers"): self.held,
            }
        )
        if demo:
            from seeds.simulators.dvcqg_demo import demo_filed

            self.add_records(demo_filed())

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.dossiers.clear()
            self.filed.clear()
            self.files.clear()

    # --- the portal's side --------------------------------------------------------------------------------

    def _authorised(self, request: Request) -> None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            raise Invalid(["Authorization: missing or wrong token"])

    def _records(self, request: Request, service: str, check) -> list[dict]:
        self._authorised(request)
        f = Fields(request.body)
        f.text("service", choices=(service,))
        records = f.items("data")
        if isinstance(request.body, dict) and isinstance(request.body.get("data"), list) and not records:
            f._fault("data", "empty")
        for i, record in enumerate(records):
            f.merge(check(record, i))
        f.done()
        return records

    def upsert(self, request: Request):
        if isinstance(request.body, dict) and not isinstance(request.body.get("isUpdating"), bool):
            raise Invalid(["isUpdating: must be true or false"])
        records = self._records(request, "DongBoHoSoMC", check_upsert)
        with self.lock:
            for record in records:
                held = self.dossiers.setdefault(record["MaHoSo"], {"QuaTrinhXuLyHoSo": []})
                history = held["QuaTrinhXuLyHoSo"]
                held.update(record, QuaTrinhXuLyHoSo=history)
                self.filed.pop(record["MaHoSo"], None)  # taken in by the provincial system
        return 200, {"error_code": "00", "message": "Thành công", "count": len(records)}

    def progress(self, request: Request):
        records = self._records(request, "CapNhatTienDoHoSoMC", check_progress)
        unknown = [r["MaHoSo"] for r in records if r["MaHoSo"] not in self.dossiers]
        if unknown:
            return 400, {
                "error_code": "02",
                "error": "invalid",
                "faults": [f"MaHoSo {c}: not synchronised" for c in unknown],
            }
        with self.lock:
            for record in records:
                held = self.dossiers[record["MaHoSo"]]
                held["TrangThaiHoSo"] = record["TrangThaiHoSo"]
                for name in ("NgayHenTra", "NgayKetThucXuLy", "NgayTra"):
                    if record.get(name):
                        held[name] = record[name]
                # A step is kept once: the portal keys history rows by time, person and content, so a step
                # re-sent after a timeout (it did arrive) is not listed twice.
                history = held["QuaTrinhXuLyHoSo"]
                history.extend(row for row in record["QuaTrinhXuLyHoSo"] if row not in history)
        return 200, {"error_code": "00", "message": "Thành công", "count": len(records)}

    def lookup(self, request: Request):
        self._authorised(request)
        f = Fields(request.body)
        codes = f.items("MaHoSo")
        if len(codes) > 500 or not all(isinstance(c, str) and 0 < len(c) <= 50 for c in codes):
            f._fault("MaHoSo", "a list of at most 500 codes of at most 50 characters")
        f.done()
        with self.lock:
            rows = [
                {
                    "MaHoSo": code,
                    "TrangThaiHoSo": self.dossiers[code].get("TrangThaiHoSo", ""),
                    "NgayHenTra": self.dossiers[code].get("NgayHenTra", ""),
                    "SoBuocXuLy": len(self.dossiers[code]["QuaTrinhXuLyHoSo"]),
                }
                for code in codes
                if code in self.dossiers
            ]
        return 200, {"error_code": "00", "data": rows}

    def list_filed(self, request: Request):
        self._authorised(request)
        with self.lock:
            rows = list(self.filed.values())
        return 200, {"error_code": "00", "data": rows}

    def attachment(self, request: Request):
        self._authorised(request)
        file = self.files.get(request.query.get("Id", ""))
        if file is None:
            return 404, {"error_code": "04", "error": "no such file"}
        return 200, {"error_code": "00", **file}

    # --- the simulator's controls -------------------------------------------------------------------------

    def add_records(self, records: list[dict]) -> None:
        """Portal-filed dossiers; a component given `content` (bytes, or None for a blank PDF) gets a file."""
        with self.lock:
            for record in records:
                record = dict(record)
                if not isinstance(record.get("ThanhPhanHoSo"), list):  # served as it is, malformed
                    self.filed[str(record.get("MaHoSo"))] = record
                    continue
                components = []
                for component in record["ThanhPhanHoSo"]:
                    component = dict(component)
                    if "content" in component:
                        content = component.pop("content")
                        file_id = f"{record.get('MaHoSo')}-{len(self.files) + 1}"
                        data = (
                            content
                            if isinstance(content, bytes)
                            else blank_pdf(component.get("TenGiayTo", ""))
                        )
                        self.files[file_id] = {
                            "TenTep": component.pop("TenTep", f"{file_id}.pdf"),
                            "MimeType": "application/pdf",
                            "NoiDung": base64.b64encode(data).decode(),
                        }
                        component["TepDinhKem"] = {"Id": file_id, "TenTep": self.files[file_id]["TenTep"]}
                    components.append(component)
                record["ThanhPhanHoSo"] = components
                self.filed[str(record.get("MaHoSo"))] = record

    def add_filed(self, request: Request):
        f = Fields(request.body)
        records = f.items("data")
        f.done()
        for record in records:
            for component in record.get("ThanhPhanHoSo") or []:
                if "content" in component and isinstance(component["content"], str):
                    component["content"] = base64.b64decode(component["content"])
        self.add_records(records)
        return 200, {"ok": True, "filed": len(self.filed)}

    def held(self, request: Request):
        with self.lock:
            return 200, {"dossiers": dict(self.dossiers)}


SIMULATOR = DvcqgSimulator
