"""Simulator of the national population database's citizen lookup (Cơ sở dữ liệu quốc gia về dân cư).

    POST /api/cong-dan/tra-cuu   header X-Api-Key
    {"SoDinhDanh": "001190012345", "MaDonVi": "000.00.11.H15", "NguoiYeuCau": "motcua.hoankiem",
     "MaYeuCau": "<32 hex>", "MucDich": "TIEP_NHAN" | "XAC_THUC"}
    → 200 {"error_code": "00", "MaYeuCau", "CongDan": {"SoDinhDanh", "HoVaTen", "NgaySinh" (yyyyMMdd),
           "GioiTinh" ("1" nam, "2" nữ), "NoiThuongTru", "NgayCapCCCD" (yyyyMMdd), "NoiCapCCCD"}}
    → 200 {"error_code": "01", "MaYeuCau", "message"} when the ID is not in the database
    → 400 with the faults of a malformed request, 401 without the key

It knows the demo's citizens (seeds/citizens.py) and no one else.
"""

from __future__ import annotations

from seeds.citizens import CITIZENS, SIGN_IN_CITIZENS
from seeds.simulators.base import Fields, Request, Simulator

PATH = "/api/cong-dan/tra-cuu"
AGENCY_CODE = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}"
ISSUED_BY = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"


def _record(citizen) -> dict:
    year = citizen.birth_date[:4]
    return {
        "SoDinhDanh": citizen.id_number,
        "HoVaTen": citizen.name,
        "NgaySinh": citizen.birth_date.replace("-", ""),
        "GioiTinh": "1" if citizen.gender == "male" else "2",
        "NoiThuongTru": citizen.address,
        "NgayCapCCCD": f"{max(int(year) + 14, 2021)}0701",
        "NoiCapCCCD": ISSUED_BY,
    }


class PopulationSimulator(Simulator):
    name = "population"
    default_port = 8705

    def __init__(self, citizens=(*CITIZENS, *SIGN_IN_CITIZENS)) -> None:
        super().__init__()
        self.citizens = {c.id_number: c for c in citizens}
        self.routes[("POST", PATH)] = self.look_up

    def look_up(self, request: Request) -> tuple[int, dict]:
        if not request.headers.get("x-api-key"):
            return 401, {"error": "unauthorized", "faults": ["X-Api-Key: required"]}
        f = Fields(request.body)
        id_number = f.text("SoDinhDanh", pattern=r"\d{12}")
        f.text("MaDonVi", pattern=AGENCY_CODE)
        f.text("NguoiYeuCau", max_len=150)
        request_id = f.text("MaYeuCau", pattern=r"[0-9a-f]{32}")
        f.text("MucDich", choices=("TIEP_NHAN", "XAC_THUC"))
        f.unknown({"SoDinhDanh", "MaDonVi", "NguoiYeuCau", "MaYeuCau", "MucDich"})
        f.done()
        citizen = self.citizens.get(id_number)
        if citizen is None:
            return 200, {"error_code": "01", "MaYeuCau": request_id, "message": "Không tìm thấy công dân"}
        return 200, {"error_code": "00", "MaYeuCau": request_id, "CongDan": _record(citizen)}


SIMULATOR = PopulationSimulator
