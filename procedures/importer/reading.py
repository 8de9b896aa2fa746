"""Reads the header and data rows of a catalogue file, CSV or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import BinaryIO

from config.errors import InvalidInput

from ..text import nfc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def read_table(
    source: str | Path | BinaryIO, filename: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a CSV (UTF-8, optional BOM) or the first sheet of an XLSX workbook."""
    name = filename or str(getattr(source, "name", source))
    raw = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise InvalidInput("Không đọc được tệp XLSX.", f"Unreadable XLSX file: {exc}") from exc
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput("Tệp CSV phải mã hóa UTF-8.", "The CSV file must be UTF-8 encoded.") from exc
        rows = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
    else:
        raise InvalidInput("Chỉ nhận tệp .csv hoặc .xlsx.", "Only .csv and .xlsx files are accepted.")
    if not rows:
        raise InvalidInput("Tệp trống.", "The file is empty.")
    return rows[0], rows[1:]
