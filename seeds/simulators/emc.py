"""Simulator of EMC, the national usage monitoring system, port 8702: status reports, every field checked."""

from __future__ import annotations

from seeds.simulators.base import Fields, Invalid, Request, Simulator
from seeds.simulators.dvcqg import date_field

TOKEN = "emc-dev-token"
FIELDS = {
    "MaHoSo",
    "MaTTHC",
    "MaDonVi",
    "TrangThai",
    "KenhThucHien",
    "ThanhToanTrucTuyen",
    "MucDoDVC",
    "ThoiGian",
}


def check_report(report, i: int) -> Fields:
    f = Fields(report, prefix=f"data[{i}].")
    f.unknown(FIELDS)
    f.text("MaHoSo", max_len=50)
    f.text("MaTTHC", max_len=50)
    f.text("MaDonVi", max_len=50)
    f.flag("TrangThai", values=(1, 2, 3, 4))
    f.flag("KenhThucHien", values=(1, 2, 3))
    f.flag("ThanhToanTrucTuyen")
    f.flag("MucDoDVC", values=(2, 3, 4))
    date_field(f, "ThoiGian", required=True)
    return f


class EmcSimulator(Simulator):
    name = "emc"
    default_port = 8702

    def __init__(self) -> None:
        super().__init__()
        self.reports: list[dict] = []
        self.routes[("POST", "/api/emc/baocao")] = self.report

    def reset(self) -> None:
        super().reset()
        with self.lock:
            self.reports.clear()

    def report(self, request: Request):
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            raise Invalid(["Authorization: missing or wrong token"])
        f = Fields(request.body)
        rows = f.items("data")
        if not rows and not f.faults:
            f._fault("data", "empty")
        for i, row in enumerate(rows):
            f.merge(check_report(row, i))
        f.done()
        with self.lock:
            self.reports.extend(rows)
        return 200, {"error_code": "00", "message": "OK", "count": len(rows)}


SIMULATOR = EmcSimulator
