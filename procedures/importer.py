"""Imports the procedure catalogue from CSV or XLSX: validates every row first, then writes all or nothing."""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction
from tqdm import tqdm

from accounts.models import Agency, Role
from config.errors import InvalidInput

from .models import DocumentRequirement, Fee, Procedure, Sector, StepTemplate
from .text import fold, nfc

# Column order of the seed file; the same headers work in the first sheet of an XLSX workbook.
COLUMNS = [
    "code", "name", "sector_code", "sector_name", "level", "online_level", "time_unit", "legal_days",
    "committed_days", "fee_text", "fees", "online_fee_discount_pct", "result_type", "legal_basis",
    "conditions", "components", "steps", "agencies", "active", "note",
]  # fmt: skip
REQUIRED_COLUMNS = {
    "code", "name", "sector_code", "sector_name", "level", "online_level", "time_unit", "legal_days",
}  # fmt: skip
ITEM_SEP, FIELD_SEP = "|", ";"
NUMBER_COLUMNS = ("legal_days", "committed_days", "online_fee_discount_pct")
MAX_DAYS = 365
MAX_FEE = 1_000_000_000
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}$")
AMOUNT_RE = re.compile(r"^\d+$|^\d{1,3}(?:[., ]\d{3})+$")
TRUE_WORDS, FALSE_WORDS = (
    {"co", "x", "1", "true", "yes", "bat buoc"},
    {"khong", "0", "false", "no", "tuy chon"},
)
STEP_ROLES = [(r.value, r.label) for r in (Role.CLERK, Role.HANDLER, Role.LEADER)]
PROCEDURE_FIELDS = (
    "name", "level", "online_level", "time_unit", "legal_days", "committed_days", "fee_text",
    "online_fee_discount_pct", "result_type", "legal_basis", "requirements_text", "active",
)  # fmt: skip


@dataclass
class RowError:
    line: int
    column: str
    message: str
    message_en: str

    def vi(self) -> str:
        return f"dòng {self.line}, cột {self.column}: {self.message}"

    def en(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message_en}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.vi(), "message_en": self.en()}


class CatalogueImportError(InvalidInput):
    code = "import_invalid"

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            f"Tệp có {len(errors)} lỗi; chưa nhập thủ tục nào.",
            f"The file has {len(errors)} error(s); nothing was imported.",
            errors=[e.as_dict() for e in errors],
        )


@dataclass
class ParsedRow:
    line: int
    code: str
    sector_code: str
    sector_name: str
    fields: dict
    requirements: list[tuple] = field(default_factory=list)
    steps: list[tuple] = field(default_factory=list)
    fees: list[tuple] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> tuple[str, str]:
        c, u, n = len(self.created), len(self.updated), len(self.unchanged)
        prefix_vi, prefix_en = (
            ("Kiểm tra xong (không ghi): ", "Checked (nothing written): ") if self.dry_run else ("", "")
        )
        return (
            f"{prefix_vi}{c} thủ tục mới, {u} cập nhật, {n} không đổi.",
            f"{prefix_en}{c} created, {u} updated, {n} unchanged.",
        )


# Reading


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


# Validation

# Every message in both languages, keyed; the row and column are added by RowError.
MESSAGES = {
    "empty": ("không được để trống.", "must not be empty."),
    "too_long": ("dài quá {max} ký tự.", "longer than {max} characters."),
    "not_int": ("“{value}” không phải số nguyên từ 0 đến {max}.",
                "“{value}” is not a whole number from 0 to {max}."),
    "not_bool": ("“{value}” phải là “có” hoặc “không”.", "“{value}” must be yes (có) or no (không)."),
    "choice": ("giá trị “{value}” không hợp lệ (chọn một trong: {allowed}).",
               "unknown value “{value}” (expected one of: {allowed})."),
    "code": ("mã “{value}” chỉ gồm chữ, số, dấu chấm, gạch.",
             "code “{value}” may hold only letters, digits, dots and dashes."),
    "duplicate": ("mã {value} trùng với dòng {first}.", "code {value} repeats line {first}."),
    "same_day": ("thủ tục trong ngày phải có thời hạn 0.", "a same-day procedure must have 0 days."),
    "same_day_committed": ("thủ tục trong ngày phải có thời hạn cam kết 0 hoặc để trống.",
                           "a same-day procedure must have 0 or empty committed days."),
    "committed": ("thời hạn cam kết ({committed}) dài hơn thời hạn quy định ({legal}).",
                  "committed days ({committed}) exceed the legal days ({legal})."),
    "item_name": ("mục thứ {n} thiếu tên hoặc tên quá dài.",
                  "item {n} has no name or a name that is too long."),
    "role": ("bước thứ {n}: vai trò “{value}” không hợp lệ.", "step {n}: unknown role “{value}”."),
    "steps_total": ("tổng thời gian các bước ({total}) vượt thời hạn ({limit}).",
                    "the steps take {total} days, more than the procedure's {limit}."),
    "amount": ("khoản phí thứ {n}: mức thu “{value}” không hợp lệ (số đồng, không âm).",
               "fee {n}: invalid amount “{value}” (whole dong, not negative)."),
    "fee_unit": ("khoản phí thứ {n}: đơn vị “{value}” không hợp lệ (dossier, copy, page).",
                 "fee {n}: unknown unit “{value}” (dossier, copy, page)."),
    "agency": ("không có cơ quan mã {value}.", "no agency with code {value}."),
    "unknown_column": ("cột không được hỗ trợ.", "unknown column."),
    "missing_column": ("thiếu cột bắt buộc.", "required column is missing."),
}  # fmt: skip


def _row_error(line: int, column: str, key: str, **values) -> RowError:
    vi, en = MESSAGES[key]
    return RowError(line, column, vi.format(**values), en.format(**values))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _choice(value: str, choices, default: str | None = None) -> str | None:
    """A choice given by its code or its Vietnamese label, ignoring case and diacritics."""
    if not value:
        return default
    wanted = fold(value)
    for code, label in choices:
        if wanted in (code, fold(str(label))):
            return code
    return None


def _get(parts: list[str], index: int) -> str:
    return parts[index] if index < len(parts) else ""


class _RowValidator:
    """Parses one row into a ParsedRow, collecting every error instead of stopping at the first."""

    def __init__(self, line: int, values: dict, letters: dict, agency_ids: dict):
        self.line, self.values, self.letters, self.agency_ids = line, values, letters, agency_ids
        self.errors: list[RowError] = []

    def error(self, column: str, key: str, **values) -> None:
        label = f"{column} ({self.letters[column]})" if column in self.letters else column
        self.errors.append(_row_error(self.line, label, key, **values))

    def text(self, column: str, max_length: int, required: bool = False) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, "empty")
        elif len(value) > max_length:
            self.error(column, "too_long", max=max_length)
        return value

    def integer(self, column: str, value: str, *, default: int | None, maximum: int) -> int | None:
        if value == "":
            return default
        if not value.isdigit() or int(value) > maximum:
            self.error(column, "not_int", value=value, max=maximum)
            return default
        return int(value)

    def boolean(self, column: str, value: str, default: bool) -> bool:
        folded = fold(value)
        if folded in TRUE_WORDS or folded in FALSE_WORDS:
            return folded in TRUE_WORDS
        if value:
            self.error(column, "not_bool", value=value)
        return default

    def choice(self, column: str, choices) -> str:
        value = self.values.get(column, "")
        code = _choice(value, choices)
        if code is None:
            self.error(column, "choice", value=value, allowed=", ".join(c for c, _ in choices))
        return code or ""

    def items(self, column: str) -> Iterator[tuple[int, list[str]]]:
        for n, item in enumerate(i.strip() for i in self.values.get(column, "").split(ITEM_SEP)):
            if item:
                yield n + 1, [f.strip() for f in item.split(FIELD_SEP)]

    def name(self, column: str, n: int, value: str, max_length: int) -> None:
        if not value or len(value) > max_length:
            self.error(column, "item_name", n=n)

    def parse(self) -> ParsedRow:
        code = self.text("code", 32, required=True)
        if code and not CODE_RE.match(code):
            self.error("code", "code", value=code)
        days = {
            c: self.values.get(c, "") for c in ("legal_days", "committed_days", "online_fee_discount_pct")
        }
        fields = {
            "name": self.text("name", 500, required=True),
            "level": self.choice("level", Procedure.Level.choices),
            "online_level": self.choice("online_level", Procedure.OnlineLevel.choices),
            "time_unit": self.choice("time_unit", Procedure.TimeUnit.choices),
            "legal_days": self.integer("legal_days", days["legal_days"], default=None, maximum=MAX_DAYS),
            "committed_days": self.integer(
                "committed_days", days["committed_days"], default=None, maximum=MAX_DAYS
            ),
            "online_fee_discount_pct": self.integer(
                "online_fee_discount_pct", days["online_fee_discount_pct"], default=0, maximum=100
            ),
            "fee_text": self.text("fee_text", 500),
            "result_type": self.text("result_type", 500),
            "legal_basis": self.text("legal_basis", 10_000),
            "requirements_text": self.text("conditions", 10_000),
            "active": self.boolean("active", self.values.get("active", ""), True),
        }
        if days["legal_days"] == "":
            self.error("legal_days", "empty")
        self._check_times(fields)
        sector_code, sector_name = self.text("sector_code", 32, True), self.text("sector_name", 255, True)
        row = ParsedRow(self.line, code, sector_code, sector_name, fields)
        row.requirements = self._components()
        row.steps = self._steps(fields)
        row.fees = self._fees()
        row.agency_ids = self._agencies()
        return row

    def _check_times(self, fields: dict) -> None:
        legal, committed = fields["legal_days"], fields["committed_days"]
        if fields["time_unit"] == Procedure.TimeUnit.SAME_DAY:
            if legal:
                self.error("legal_days", "same_day")
            if committed:
                self.error("committed_days", "same_day_committed")
        elif legal is not None and committed is not None and committed > legal:
            self.error("committed_days", "committed", committed=committed, legal=legal)

    def _components(self) -> list[tuple]:
        result = []
        for n, parts in self.items("components"):
            self.name("components", n, parts[0], 500)
            originals = self.integer("components", _get(parts, 1), default=1, maximum=99)
            copies = self.integer("components", _get(parts, 2), default=0, maximum=99)
            required = self.boolean("components", _get(parts, 3), True)
            result.append((parts[0], originals, copies, required, _get(parts, 4)[:500]))
        return result

    def _steps(self, fields: dict) -> list[tuple]:
        result = []
        for n, parts in self.items("steps"):
            self.name("steps", n, parts[0], 255)
            role = _choice(_get(parts, 1), STEP_ROLES)
            if role is None or not _get(parts, 1):
                self.error("steps", "role", n=n, value=_get(parts, 1))
            result.append(
                (parts[0], role or "", self.integer("steps", _get(parts, 2), default=0, maximum=MAX_DAYS))
            )
        total = sum(s[2] for s in result)
        limit = fields["committed_days"] if fields["committed_days"] is not None else fields["legal_days"]
        counted_in_working_days = fields["time_unit"] in (
            Procedure.TimeUnit.WORKING_DAYS,
            Procedure.TimeUnit.SAME_DAY,
        )
        if counted_in_working_days and limit is not None and total > limit:
            self.error("steps", "steps_total", total=total, limit=limit)
        return result

    def _fees(self) -> list[tuple]:
        result = []
        for n, parts in self.items("fees"):
            self.name("fees", n, parts[0], 255)
            raw = _get(parts, 1)
            amount = int(re.sub(r"[., ]", "", raw)) if AMOUNT_RE.match(raw) else None
            if amount is None or amount > MAX_FEE:
                self.error("fees", "amount", n=n, value=raw)
            unit = _choice(_get(parts, 2), Fee.Unit.choices, Fee.Unit.DOSSIER)
            if unit is None:
                self.error("fees", "fee_unit", n=n, value=_get(parts, 2))
            result.append((parts[0], amount or 0, unit or "", _get(parts, 3)[:500]))
        return result

    def _agencies(self) -> list[int]:
        codes = [c.strip() for c in self.values.get("agencies", "").split(ITEM_SEP) if c.strip()]
        unknown = [c for c in codes if c not in self.agency_ids]
        if unknown:
            self.error("agencies", "agency", value=", ".join(unknown))
        return sorted({self.agency_ids[c] for c in codes if c in self.agency_ids})


def _check_header(header: list[str]) -> None:
    errors = [_row_error(1, f"{name} ({_column_letter(i)})", "unknown_column")
              for i, name in enumerate(header) if name and name not in COLUMNS]  # fmt: skip
    errors += [_row_error(1, name, "missing_column") for name in sorted(REQUIRED_COLUMNS - set(header))]
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
        validator = _RowValidator(n, values, letters, agency_ids)
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


# Writing


def _content(p: Procedure) -> tuple:
    return (
        p.sector_id,
        tuple(getattr(p, f) for f in PROCEDURE_FIELDS),
        tuple((r.name, r.originals, r.copies, r.required, r.note) for r in p.requirements.all()),
        tuple((s.name, s.role, s.days) for s in p.steps.all()),
        tuple((f.name, f.amount, f.unit, f.note) for f in p.fees.all()),
        tuple(sorted(a.id for a in p.agencies.all())),
    )


def _wanted(row: ParsedRow, sector_id: int) -> tuple:
    return (
        sector_id,
        tuple(row.fields[f] for f in PROCEDURE_FIELDS),
        tuple(row.requirements),
        tuple(row.steps),
        tuple(row.fees),
        tuple(row.agency_ids),
    )


def _write_children(procedure: Procedure, row: ParsedRow) -> None:
    # Requirements keep their ids (uploaded documents point at them); steps and fees are plain lists.
    existing = list(procedure.requirements.all())
    for i, (name, originals, copies, required, note) in enumerate(row.requirements):
        values = {
            "order": i + 1,
            "name": name,
            "originals": originals,
            "copies": copies,
            "required": required,
            "note": note,
        }
        if i < len(existing):
            for key, value in values.items():
                setattr(existing[i], key, value)
            existing[i].save()
        else:
            DocumentRequirement.objects.create(procedure=procedure, **values)
    DocumentRequirement.objects.filter(id__in=[r.id for r in existing[len(row.requirements) :]]).delete()
    procedure.steps.all().delete()
    StepTemplate.objects.bulk_create(
        StepTemplate(procedure=procedure, order=i + 1, name=n, role=r, days=d)
        for i, (n, r, d) in enumerate(row.steps)
    )
    procedure.fees.all().delete()
    Fee.objects.bulk_create(
        Fee(procedure=procedure, name=n, amount=a, unit=u, note=note) for n, a, u, note in row.fees
    )
    procedure.agencies.set(row.agency_ids)


def _sync_sectors(rows: list[ParsedRow]) -> dict[str, int]:
    names = {r.sector_code: r.sector_name for r in rows}
    sectors = {s.code: s for s in Sector.objects.select_for_update().filter(code__in=names)}
    for code, name in names.items():
        if code not in sectors:
            sectors[code] = Sector.objects.create(code=code, name=name)
        elif sectors[code].name != name:
            sectors[code].name = name
            sectors[code].save(update_fields=["name"])
    return {code: s.id for code, s in sectors.items()}


def write(rows: list[ParsedRow], *, dry_run: bool = False, progress: bool = False) -> ImportReport:
    """Creates or updates the procedures of validated rows in one transaction; unchanged rows are not touched.

    A dry run does the same work and rolls it back, so its report is exactly what a real run would do.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        with connection.cursor() as cursor:  # one import at a time, across processes
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"procedures.import")])
        sector_ids = _sync_sectors(rows)
        existing = {
            p.code: p
            for p in Procedure.objects.select_for_update(of=("self",))
            .filter(code__in=[r.code for r in rows])
            .prefetch_related("requirements", "steps", "fees", "agencies")
        }
        for row in tqdm(rows, desc="Nhập", unit="thủ tục", disable=not progress):
            procedure = existing.get(row.code)
            sector_id = sector_ids[row.sector_code]
            if procedure is not None and _content(procedure) == _wanted(row, sector_id):
                report.unchanged.append(row.code)
                continue
            if procedure is None:
                procedure = Procedure(code=row.code)
                report.created.append(row.code)
            else:
                procedure.version += 1
                report.updated.append(row.code)
            procedure.sector_id = sector_id
            for key, value in row.fields.items():
                setattr(procedure, key, value)
            procedure.save()
            _write_children(procedure, row)
        if dry_run:
            transaction.set_rollback(True)
    return report


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
