"""One period, every kind of dossier: the summary card, every table's totals row, the CSV and XLSX exports,
the API and the drill-down give the same numbers, read raw or from rebuilt rollups, and the ward report's
identity holds (received = processed + in progress + withdrawn + stopped; refusals on their own line)."""

import csv
import html as html_lib
import io
import re
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from accounts.models import Agency, Role
from dossiers.models import Status
from dossiers.reporting import parse_period
from dossiers.reporting.coverage import covered_months
from dossiers.reporting.tables import COUNT_COLUMNS
from tests import factories

from .stats_fixture import NOW, PERIOD, at, build

pytestmark = pytest.mark.django_db

COUNT_TABLES = ["by-agency", "by-procedure", "by-sector", "by-month"]
COUNTS = [k for k, _label in COUNT_COLUMNS if k not in ("avg_days", "p90_days", "on_time_rate")]
LABELS = {str(label): key for key, label in COUNT_COLUMNS}
CARDS = ["received", "processed", "in_progress", "withdrawn", "stopped", "refused", "overdue"]
# The hand count of the period (stats_fixture's ward plus the second ward below).
FIGURES = {
    "received": 15,
    "processed": 8,
    "in_progress": 5,
    "withdrawn": 1,
    "stopped": 1,
    "refused": 2,
    "early": 2,
    "on_time": 1,
    "late": 5,
    "in_progress_on_time": 3,
    "in_progress_late": 2,
    "carried_over": 1,
    "supplemented": 2,
    "overdue": 7,
}
IN_TABLES = {k: v for k, v in FIGURES.items() if k in COUNTS}  # "overdue" (late + in progress late): a card


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def period_data(province, ward, birth_registration):
    """stats_fixture's month (refused, withdrawn, stopped, processed early/on time/late, in progress on
    time/late, carried over, supplemented twice, apologised, paused) in one ward, and a second ward with
    another procedure of another sector: an early and a late result, an open dossier and a refusal."""
    build(ward, birth_registration)
    second = factories.agency(parent=province, name="Phường Thử Hai")
    marriage = factories.procedure(
        code="1.000894", name="Đăng ký kết hôn", days=5, sector=factories.sector("chungthuc", "Chứng thực")
    )
    for received, due, finished, status in [
        ("03-09", "03-16", "03-11", Status.RETURNED),
        ("03-09", "03-16", "03-18", Status.RESOLVED),
        ("03-24", "03-31", None, Status.PROCESSING),
    ]:
        factories.dossier(
            procedure=marriage,
            agency=second,
            status=status,
            received_at=at(received),
            due_at=at(due, "17:00"),
            finished_at=at(finished, "10:00") if finished else None,
            resolved_at=at(finished, "10:00") if finished else None,
        )
    factories.dossier(
        procedure=marriage,
        agency=second,
        status=Status.REFUSED,
        received_at=at("03-27"),  # as a bulk load may write it: still never received
        finished_at=at("03-27", "10:30"),
    )
    return province


@pytest.fixture
def reader(client, province):
    client.force_login(factories.user(role=Role.SUPERVISOR, agency=province, username="province-reader"))
    return client


@pytest.fixture(params=["raw", "rollups"])
def path(request, period_data):
    """The figures counted from dossiers, or read from the rollups `build_stats_rollups` wrote (which
    `reconcile_stats` then finds equal to a recount)."""
    if request.param == "rollups":
        call_command("build_stats_rollups")
        call_command("reconcile_stats")  # exits 1 on any difference
        ids = set(Agency.objects.values_list("id", flat=True))
        assert covered_months(ids, parse_period(PERIOD)) == {date(2026, 3, 1)}
    return request.param


def _text(cell: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", "", cell)).strip()


def _cells(section: str, part: str) -> list[str]:
    return re.findall(r"<th>(.*?)</th>", re.search(rf"<{part}>(.*?)</{part}>", section, re.S).group(1))


def _int(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


def test_the_hand_count_and_the_identity(reader, path):
    row = reader.get("/api/v1/stats/summary", PERIOD).json()["rows"][0]
    assert {k: row[k] for k in FIGURES} == FIGURES
    assert row["received"] == row["processed"] + row["in_progress"] + row["withdrawn"] + row["stopped"]
    assert row["on_time_rate"] == round(100 * (2 + 1 + 3) / (8 + 5), 2)


def test_the_cards_and_the_identity_line_show_the_summary(reader, path):
    page = reader.get("/dashboard/", PERIOD).content.decode()
    cards = {k: _int(v) for k, v in re.findall(r'id="card-(\w+)"[^>]*><b>([\d.]+)</b>', page)}
    assert cards == {k: FIGURES[k] for k in CARDS}
    assert "Tiếp nhận 15 = đã giải quyết 8 + đang giải quyết 5 + rút 1 + dừng 1" in page
    assert "Không được tiếp nhận 2 (không tính vào số tiếp nhận và tỷ lệ đúng hạn)" in page


@pytest.mark.parametrize("table", COUNT_TABLES)
def test_each_dashboard_table_totals_row_is_the_summary(reader, path, table):
    page = reader.get("/dashboard/", PERIOD).content.decode()
    section = re.search(rf'id="t-{table}".*?</section>', page, re.S).group(0)
    header = [_text(h) for h in _cells(section, "thead")]
    total = [_text(c) for c in _cells(section, "tfoot")]
    got = {LABELS[h]: _int(v) for h, v in zip(header, total, strict=True) if LABELS.get(h) in FIGURES}
    assert got == IN_TABLES
    assert "Tổng cộng" in total


def _csv(response) -> list[dict]:
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8")[1:]))
    return [dict(zip(header, r, strict=True)) for r in rows]


def _xlsx(response) -> list[dict]:
    ws = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(ws.iter_rows(min_row=2, values_only=True))
    return [dict(zip(header, r, strict=True)) for r in rows]


def _figures(row: dict) -> dict:
    return {LABELS[k]: int(v) for k, v in row.items() if LABELS.get(k) in FIGURES}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", ["summary", *COUNT_TABLES])
def test_every_export_ends_with_the_summary_and_its_rows_add_up(reader, path, table, fmt):
    response = reader.get(f"/dashboard/{table}/", {**PERIOD, "format": fmt})
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    *body, total = rows
    assert _figures(total) == IN_TABLES
    summary = reader.get("/api/v1/stats/summary", PERIOD).json()["rows"][0]
    rate = total["Tỷ lệ đúng hạn (%)"]
    assert (float(rate) if fmt == "csv" else rate) == summary["on_time_rate"]
    if table in ("by-agency", "by-procedure", "by-sector"):  # each dossier in exactly one row
        assert {k: sum(_figures(r)[k] for r in body) for k in IN_TABLES} == IN_TABLES


@pytest.mark.parametrize("bucket", list(FIGURES))
def test_the_drill_down_lists_as_many_dossiers_as_the_card_and_tables_count(reader, path, bucket):
    page = reader.get("/dashboard/dossiers/", {**PERIOD, "bucket": bucket, "scope": "tree"}).content.decode()
    (count,) = re.findall(r'<p class="muted">(\d+) hồ sơ', page)
    assert int(count) == FIGURES[bucket]


def test_the_api_tables_carry_the_same_totals(reader, path):
    for table in COUNT_TABLES:
        body = reader.get(f"/api/v1/stats/{table}", PERIOD).json()
        assert {k: body["total"][k] for k in FIGURES} == FIGURES, table
