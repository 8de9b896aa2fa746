"""Rows of dossiers, steps and events in PostgreSQL's binary COPY format.

Binary rather than text: PostgreSQL skips parsing ~15 timestamps a dossier, and instants stay ints (no
datetime objects, no isoformat). Whatever repeats is encoded once: default cells, a procedure's step
columns, an event's columns after its time (actor, action, statuses, payload).
"""

from __future__ import annotations

import json
from datetime import date
from struct import Struct

from dossiers.models import Dossier, DossierEvent, DossierStep

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" * 2
TRAILER = b"\xff\xff"
NULL = b"\xff\xff\xff\xff"
PG_EPOCH = 946684800  # 2000-01-01 UTC in Unix seconds: binary timestamps count microseconds from it
PG_EPOCH_DATE = date(2000, 1, 1)

_LEN = Struct(">i").pack
_I8 = Struct(">iq").pack
_I4 = Struct(">ii").pack
_I2 = Struct(">ih").pack
_COUNT = Struct(">h").pack
TRUE, FALSE = b"\x00\x00\x00\x01\x01", b"\x00\x00\x00\x01\x00"
STAFF_NAME = "Cán bộ một cửa"


def ts(t: int | None) -> bytes:
    return NULL if t is None else _I8(8, (t - PG_EPOCH) * 1_000_000)


def int8(v: int | None) -> bytes:
    return NULL if v is None else _I8(8, v)


def text(v: str) -> bytes:
    b = v.encode()
    return _LEN(len(b)) + b


def jsonb(v) -> bytes:
    b = b"\x01" + (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)).encode()
    return _LEN(len(b)) + b


def _int4(v: int) -> bytes:
    return _I4(4, v)


def _int2(v: int) -> bytes:
    return _I2(2, v)


def _bool(v: bool) -> bytes:
    return TRUE if v else FALSE


def _date(v: date) -> bytes:
    return _I4(4, (v - PG_EPOCH_DATE).days)  # binary dates count days from 2000-01-01


_ENCODERS = {
    "bigint": int8,
    "integer": _int4,
    "smallint": _int2,
    "boolean": _bool,
    "date": _date,
    "timestamp with time zone": ts,
    "jsonb": jsonb,
    "varchar": text,
    "text": text,
}


def _encoder(field):
    from django.db import connection

    kind = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    kind = kind.split("(")[0].replace("character varying", "varchar")
    if kind not in _ENCODERS:
        raise RuntimeError(f"seeds.generator cannot encode {field.attname} ({kind})")
    encode = _ENCODERS[kind]
    return (lambda v: NULL if v is None else encode(v)) if field.null else encode


def _columns(model) -> list:
    return [f for f in model._meta.concrete_fields if f.column != "id"]


def column_list(names: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in names)


# Dossier cells with few distinct values (enums, counters, per-procedure values, names, due times at the
# end of office days): each distinct value is encoded once.
REPEATING = {
    *("procedure_version", "subject", "channel", "status", "outcome", "outcome_note", "return_method"),
    *("e_result_status", "satisfaction", "fee_amount", "paused_working_days", "supplement_count"),
    *("apology_count", "applicant_name", "applicant_address", "due_at", "legal_due_at", "original_due_at"),
    *("procedure_id", "receiving_agency_id", "competent_agency_id", "is_digitised", "reuses_data"),
    "paid_online",
}


class _Memo(dict):
    def __init__(self, encode):
        super().__init__()
        self.encode = encode

    def __missing__(self, value):
        cell = self[value] = self.encode(value)
        return cell


class DossierRows:
    """Dossier rows from dicts of attnames: given cells encoded by column type, the others default cells."""

    def __init__(self):
        fields = _columns(Dossier)
        self.table = Dossier._meta.db_table
        self.columns = column_list(["id", *(f.column for f in fields)])
        self.cells = []
        for f in fields:
            encode = _encoder(f)
            default = encode(f.get_default()) if f.has_default() or f.null else None
            if f.attname in REPEATING:
                encode = _Memo(encode).__getitem__
            self.cells.append((f.attname, encode, default))
        self.head = _COUNT(len(fields) + 1)

    def encode(self, pk: int, values: dict) -> bytes:
        get = values.get
        cells = [
            v if (v := get(name, default)) is default else encode(v) for name, encode, default in self.cells
        ]
        return self.head + _I8(8, pk) + b"".join(cells)


STEP_COLUMNS = [
    "id",
    "dossier_id",
    "order",
    "name",
    "role",
    "agency_id",
    "assignee_id",
    "started_at",
    "due_at",
]
STEP_COLUMNS += ["finished_at", "due_soon_notified_at", "overdue_at"]
EVENT_COLUMNS = ["id", "dossier_id", "at", "actor_id", "actor_name", "action", "from_status", "to_status"]
EVENT_COLUMNS += ["note", "payload", "public"]


def _check_columns(model, expected: list[str]) -> None:
    if sorted(f.column for f in model._meta.concrete_fields) != sorted(expected):
        raise RuntimeError(f"{model.__name__} has new columns: teach seeds.generator.rows about them")


class Step:
    """One internal step while it is built; ids are given when the batch is written."""

    __slots__ = ("index", "agency_id", "due", "started", "finished", "overdue")

    def __init__(self, index: int, agency_id: int, due: int):
        self.index, self.agency_id, self.due = index, agency_id, due
        self.started = self.finished = self.overdue = None


class StepRows:
    def __init__(self):
        _check_columns(DossierStep, STEP_COLUMNS)
        self.table = DossierStep._meta.db_table
        self.columns = column_list(STEP_COLUMNS)
        self._head = _COUNT(len(STEP_COLUMNS))
        self._segments: dict[tuple, bytes] = {}

    def segment(self, steps: list[tuple[str, str, int]], index: int) -> bytes:
        """order, name and role cells of a procedure's step, encoded once."""
        key = (id(steps), index)
        seg = self._segments.get(key)
        if seg is None:
            name, role, _ = steps[index]
            seg = self._segments[key] = _int2(index + 1) + text(name) + text(role)
        return seg

    def encode(self, pk: int, dossier_id: int, segment: bytes, s: Step) -> bytes:
        return b"".join(
            (
                self._head,
                _I8(8, pk),
                _I8(8, dossier_id),
                segment,
                _I8(8, s.agency_id),
                NULL,
                ts(s.started),
                ts(s.due),
                ts(s.finished),
                NULL,
                ts(s.overdue),
            )
        )


class EventRows:
    """Events as (at, tail): the tail holds every cell after `at`, memoised per distinct content."""

    def __init__(self):
        _check_columns(DossierEvent, EVENT_COLUMNS)
        self.table = DossierEvent._meta.db_table
        self.columns = column_list(EVENT_COLUMNS)
        self._head = _COUNT(len(EVENT_COLUMNS))
        self._tails: dict[tuple, bytes] = {}
        self._staff = text(STAFF_NAME)

    def tail(self, action: str, before: str, after: str, payload: str = "{}") -> bytes:
        key = (action, before, after, payload)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = b"".join(
                (NULL, self._staff, text(action), text(before), text(after), text(""), jsonb(payload), TRUE)
            )
        return tail

    def encode(self, pk: int, dossier_id: int, at: int, tail: bytes) -> bytes:
        return self._head + _I8(8, pk) + _I8(8, dossier_id) + ts(at) + tail
