"""Parses one catalogue row into a ParsedRow, collecting every error by column."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from accounts.models import Role

from ..models import Fee, Procedure, ResultKind, result_kind_for
from ..text import fold
from .columns import FIELD_SEP, ITEM_SEP
from .errors import RowError, row_error

MAX_DAYS = 365
MAX_FEE = 1_000_000_000
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,31}$")
AMOUNT_RE = re.compile(r"^\d+$|^\d{1,3}(?:[., ]\d{3})+$")
TRUE_WORDS, FALSE_WORDS = (
    {"co", "x", "1", "true", "yes", "bat buoc"},
    {"khong", "0", "false", "no", "tuy chon"},
)
STEP_ROLES = [(r.value, r.label) for r in (Role.CLERK, Role.HANDLER, Role.LEADER)]


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


class RowValidator:
    """Parses one row into a ParsedRow, collecting every error instead of stopping at the first."""

    def __init__(self, line: int, values: dict, letters: dict, agency_ids: dict):
        self.line, self.values, self.letters, self.agency_ids = line, values, letters, agency_ids
        self.errors: list[RowError] = []

    def error(self, column: str, key: str, **values) -> None:
        label = f"{column} ({self.letters[column]})" if column in self.letters else column
        self.errors.append(row_error(self.line, label, key, **values))

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

    def result_kind(self) -> str:
        """The optional result_kind column (code or Vietnamese label); when absent or empty, read from the
        result's name (procedures.models.result_kind_for)."""
        if not self.values.get("result_kind", ""):
            return result_kind_for(self.values.get("result_type", ""))
        return self.choice("result_kind", ResultKind.choices)

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
            "result_kind": self.result_kind(),
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
