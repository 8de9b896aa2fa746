"""Validates a whole catalogue table: the header, every row, codes repeated across rows."""

from __future__ import annotations

from collections.abc import Iterable

from tqdm import tqdm

from accounts.models import Agency
from config.errors import InvalidInput

from .columns import COLUMNS, ITEM_SEP, REQUIRED_COLUMNS
from .errors import CatalogueImportError, RowError, row_error
from .row import ParsedRow, RowValidator


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _check_header(header: list[str]) -> None:
    errors = [row_error(1, f"{name} ({_column_letter(i)})", "unknown_column")
              for i, name in enumerate(header) if name and name not in COLUMNS]  # fmt: skip
    errors += [row_error(1, name, "missing_column") for name in sorted(REQUIRED_COLUMNS - set(header))]
    if errors:
        raise CatalogueImportError(errors)


def validate(header: list[str], rows: Iterable[list[str]], *, progress: bool = False) -> list[ParsedRow]:
    """Every row parsed, or CatalogueImportError listing every problem by line and column."""
    header = [h.strip().lower() for h in header]
    _check_header(header)
    letters = {name: _column_letter(i) for i, name in enumerate(header) if name}
    rows = [dict(zip(header, values, strict=False)) for values in rows]
    agency_codes = {c.strip() for r in rows for c in r.get("agencies", "").split(ITEM_SEP) if c.strip()}
    agency_ids = dict(Agency.objects.filter(code__in=agency_codes).values_list("code", "id"))
    errors: list[RowError] = []
    parsed, first_line = [], {}
    for n, values in enumerate(tqdm(rows, desc="Kiểm tra", unit="dòng", disable=not progress), start=2):
        if not any(values.values()):
            continue
        validator = RowValidator(n, values, letters, agency_ids)
        row = validator.parse()
        if row.code in first_line:
            validator.error("code", "duplicate", value=row.code, first=first_line[row.code])
        elif row.code:
            first_line[row.code] = n
        errors.extend(validator.errors)
        parsed.append(row)
    if errors:
        raise CatalogueImportError(errors)
    if not parsed:
        raise InvalidInput("Tệp không có dòng dữ liệu nào.", "The file has no data rows.")
    return parsed
