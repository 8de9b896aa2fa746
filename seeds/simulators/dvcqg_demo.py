"""Dossiers "filed on the portal" that the DVCQG simulator serves in `make run`'s demo, for the pull.

The agency codes are those `manage.py import_agencies` gives the demo wards (accounts.demo: Hoàn Kiếm, Cửa
Nam); the procedure is the catalogue's birth registration (seeds/procedures.csv), offered fully online."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

HOAN_KIEM, CUA_NAM = "000.00.04.H01", "000.00.05.H01"
BIRTH = "1.001193"
COMPONENTS = [
    (1, "Tờ khai đăng ký khai sinh (theo mẫu)"),
    (2, "Giấy chứng sinh hoặc văn bản của người làm chứng"),
]
APPLICANTS = [
    (HOAN_KIEM, "Nguyễn Văn An", "001088012345", "0912000111", "12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội", 1),
    (HOAN_KIEM, "Lê Thị Bích Ngọc", "001190054321", "0987000222", "45 Hàng Gai, Phường Hoàn Kiếm, Hà Nội", 1),
    (CUA_NAM, "Phạm Đức Thịnh", "001085067890", "0903000333", "8 Trần Hưng Đạo, Phường Cửa Nam, Hà Nội", 0),
]


def demo_filed(now: datetime | None = None) -> list[dict]:
    now = (now or datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    records = []
    for i, (agency, name, id_number, phone, address, vneid) in enumerate(APPLICANTS, start=1):
        filed = now - timedelta(hours=2 * i)
        records.append(
            {
                "MaHoSo": f"QG-DEMO-{i:06d}",  # stable: a restarted simulator serves the same filings
                "MaTTHC": BIRTH,
                "MaDonViTiepNhan": agency,
                "ChuHoSo": name,
                "SoGiayToChuHoSo": id_number,
                "SoDienThoaiChuHoSo": phone,
                "EmailChuHoSo": "",
                "DiaChiChuHoSo": address,
                "TrichYeuHoSo": "Đăng ký khai sinh cho con",
                "NgayNopHoSo": f"{filed:%Y%m%d%H%M%S}",
                "TaiKhoanDuocXacThucVoiVNeID": vneid,
                "ThanhPhanHoSo": [
                    {"ThuTu": order, "TenGiayTo": title, "content": None} for order, title in COMPONENTS
                ],
            }
        )
    return records
