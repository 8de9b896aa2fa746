"""CSV and XLSX exports carry exactly the numbers of the dashboard tables."""

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook

from .stats_fixture import EXPECTED, NOW, PERIOD, build

pytestmark = pytest.mark.django_db
TABLES = ["summary", "by-agency", "by-procedure", "by-sector", "by-month", "indicators", "ranking"]


@pytest.fixture
def month(ward, birth_registration):
    with time_machine.travel(NOW, tick=False):
        yield build(ward, birth_registration)


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list]:
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_downloads_in_both_formats(client, supervisor, month, table, fmt):
    client.force_login(supervisor)
    response = client.get(f"/dashboard/{table}/", {**PERIOD, "format": fmt})
    assert response.status_code == 200
    assert f"thong-ke-{table}-20260301-20260331.{fmt}" in response["Content-Disposition"]
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert len(rows) >= 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_summary_export_holds_the_report_figures(client, supervisor, month, fmt):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/dashboard/summary/", {**PERIOD, "format": fmt})
    header, values = _csv(response) if fmt == "csv" else _xlsx(response)
    row = dict(zip(header, values, strict=True))
    expected = {
        "Tiếp nhận": 12,
        "Tiếp nhận mới": 11,
        "Kỳ trước chuyển qua": 1,
        "Đã giải quyết": 6,
        "Trước hạn": 1,
        "Đúng hạn": 1,
        "Quá hạn": 4,
        "Đang giải quyết": 4,
        "Đang giải quyết trong hạn": 2,
        "Đang giải quyết quá hạn": 2,
        "Rút hồ sơ": 1,
        "Dừng xử lý": 1,
        "Không được tiếp nhận": 1,
        "Có yêu cầu bổ sung": 2,
        "Thời gian TB (ngày làm việc)": EXPECTED["avg_days"],
        "Phân vị 90 (ngày làm việc)": EXPECTED["p90_days"],
        "Tỷ lệ đúng hạn (%)": EXPECTED["on_time_rate"],
    }
    got = {k: (float(row[k]) if fmt == "csv" else row[k]) for k in expected}
    assert got == expected


def test_the_api_and_the_csv_agree_on_every_cell(client, supervisor, month):
    client.force_login(supervisor)
    with time_machine.travel(NOW, tick=False):
        api = client.get("/api/v1/stats/by-procedure", PERIOD).json()
        header, *rows = _csv(client.get("/dashboard/by-procedure/", {**PERIOD, "format": "csv"}))
    assert header == [c["label"] for c in api["columns"]]
    expected = [
        ["" if r[c["key"]] is None else str(r[c["key"]]) for c in api["columns"]]
        for r in [*api["rows"], api["total"]]
    ]
    assert rows == expected
    assert rows[-1][1] == "Tổng cộng"


def test_an_unknown_format_is_refused(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/dashboard/summary/", {"format": "pdf"}).status_code == 400
