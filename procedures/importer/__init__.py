"""Imports the procedure catalogue from CSV or XLSX: validates every row first, then writes all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from .columns import COLUMNS, FIELD_SEP, ITEM_SEP, NUMBER_COLUMNS, REQUIRED_COLUMNS
from .errors import MESSAGES, CatalogueImportError, RowError
from .reading import read_table
from .row import (
    AMOUNT_RE,
    CODE_RE,
    FALSE_WORDS,
    MAX_DAYS,
    MAX_FEE,
    STEP_ROLES,
    TRUE_WORDS,
    ParsedRow,
)
from .validation import validate
from .writing import PROCEDURE_FIELDS, ImportReport, write

__all__ = [
    "AMOUNT_RE",
    "CODE_RE",
    "COLUMNS",
    "FALSE_WORDS",
    "FIELD_SEP",
    "ITEM_SEP",
    "MAX_DAYS",
    "MAX_FEE",
    "MESSAGES",
    "NUMBER_COLUMNS",
    "PROCEDURE_FIELDS",
    "REQUIRED_COLUMNS",
    "STEP_ROLES",
    "TRUE_WORDS",
    "CatalogueImportError",
    "ImportReport",
    "ParsedRow",
    "RowError",
    "import_catalogue",
    "read_table",
    "validate",
    "write",
]


def import_catalogue(
    source: str | Path | BinaryIO,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Reads, validates and (unless dry_run) writes a catalogue file; CatalogueImportError on bad rows."""
    header, rows = read_table(source, filename)
    parsed = validate(header, rows, progress=progress)
    return write(parsed, dry_run=dry_run, progress=progress)
