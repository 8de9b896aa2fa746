"""CSV and XLSX downloads of a dashboard table; the numbers come unchanged from the table builder.

Every text cell of every spreadsheet the product writes (these tables, the Mẫu 07 register) goes through
`neutralise`: a name typed by an applicant or imported with the catalogue must never run as a formula.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from dossiers.reporting.tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection"); tab and carriage return
# because some programs skip them before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text that could start a formula is prefixed with a single
    quote (shown as text, never evaluated); numbers, dates and other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _filename(table: Table, ext: str) -> str:
    return f"thong-ke-{table.name}-{table.period.start:%Y%m%d}-{table.period.end:%Y%m%d}.{ext}"


def _cell(value):
    return "" if value is None else neutralise(value)


def _rows(table: Table) -> list[dict]:
    """The table's rows, then its totals row (the same figures as the dashboard's summary)."""
    return [*table.rows, table.total] if table.total is not None else list(table.rows)


def table_csv(table: Table) -> HttpResponse:
    """UTF-8 with a BOM so that spreadsheet programs read the Vietnamese text correctly."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([neutralise(str(label)) for _, label in table.columns])
    for row in _rows(table):
        writer.writerow([_cell(row.get(key)) for key, _ in table.columns])
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


def table_xlsx(table: Table) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = table.name[:31]
    ws.append([neutralise(f"{table.title} · {table.period.start:%d/%m/%Y} – {table.period.end:%d/%m/%Y}")])
    ws["A1"].font = Font(bold=True)
    ws.append([neutralise(str(label)) for _, label in table.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in _rows(table):
        ws.append([_cell(row.get(key)) for key, _ in table.columns])
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


EXPORTERS = {"csv": table_csv, "xlsx": table_xlsx}
