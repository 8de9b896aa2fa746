"""Writing generated batches: ids reserved up front, binary COPY on a second connection while the next batch
is built, daily sequences raised, and plain indexes dropped and rebuilt around large loads."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections, transaction

from dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep
from seeds.generator.rows import HEADER, TRAILER, DossierRows, EventRows, StepRows


@dataclass
class Encoded:
    """One batch as COPY payloads, its row counts and the top daily number per (agency, day)."""

    dossiers: bytes
    steps: bytes
    events: bytes
    counts: tuple[int, int, int]
    top: dict


def _reserve_ids(cursor, table: str, n: int) -> int:
    """First of n consecutive ids taken from the table's sequence (the table is locked by the caller)."""
    if n == 0:
        return 0
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"nextval(pg_get_serial_sequence('{table}', 'id')) + %s - 1)",
        [n],
    )
    return cursor.fetchone()[0] - n + 1


def rebuild_pays_off(count: int, threshold: int) -> bool:
    """Rebuilding indexes costs in proportion to the whole table: worth it for a load of at least
    `threshold` dossiers that also adds at least as many rows as the table holds (planner estimate)."""
    if count < threshold or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
            [Dossier._meta.db_table],
        )
        existing = cursor.fetchone()[0]
    return count >= existing


def reserve(n_dossiers: int, n_steps: int, n_events: int) -> tuple[int, int, int]:
    """First dossier, step and event ids for a batch, reserved under a short table lock."""
    tables = [m._meta.db_table for m in (Dossier, DossierStep, DossierEvent)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        counts = (n_dossiers, n_steps, n_events)
        return tuple(_reserve_ids(cursor, t, n) for t, n in zip(tables, counts, strict=True))


class Encoder:
    """Turns built dossiers [(fields, steps, events, proc, (agency_id, day, number))] into COPY payloads."""

    def __init__(self, events: EventRows):
        self.d, self.s, self.e = DossierRows(), StepRows(), events

    def encode(self, batch: list) -> Encoded:
        n_steps = sum(len(b[1]) for b in batch)
        n_events = sum(len(b[2]) for b in batch)
        d_id, s_id, e_id = reserve(len(batch), n_steps, n_events)
        d_rows, s_rows, e_rows, top = [HEADER], [HEADER], [HEADER], {}
        step_row, event_row, segment = self.s.encode, self.e.encode, self.s.segment
        for pk, (d, steps, events, proc, (agency_id, day, number)) in enumerate(batch, d_id):
            first = s_id
            for step in steps:
                s_rows.append(step_row(s_id, pk, segment(proc.steps, step.index), step))
                s_id += 1
            for at, tail in events:
                e_rows.append(event_row(e_id, pk, at, tail))
                e_id += 1
            current = d.pop("current_step", None)
            d["current_step_id"] = None if current is None else first + current
            d_rows.append(self.d.encode(pk, d))
            key = (agency_id, day)
            if top.get(key, 0) < number:
                top[key] = number
        for rows in (d_rows, s_rows, e_rows):
            rows.append(TRAILER)
        return Encoded(
            b"".join(d_rows), b"".join(s_rows), b"".join(e_rows), (len(batch), n_steps, n_events), top
        )


def _can_skip_triggers(cursor) -> bool:
    """Superusers may skip triggers for the load (session_replication_role); others keep every check."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def write(batch: Encoded, encoder: Encoder, skip_triggers: bool) -> None:
    """One transaction: COPY dossiers, steps and events, and raise the daily sequences."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        if skip_triggers and _can_skip_triggers(cursor):
            # Rows are consistent by construction (ids reserved, referenced rows exist); skipping the per-row
            # foreign-key triggers is what makes a million rows take minutes instead of tens of minutes.
            cursor.execute("SET LOCAL session_replication_role = replica")
        raw = cursor.cursor
        for rows, data in ((encoder.d, batch.dossiers), (encoder.s, batch.steps), (encoder.e, batch.events)):
            with raw.copy(f"COPY {rows.table} ({rows.columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(data)
        cursor.execute("SET LOCAL session_replication_role = origin")  # also inside a caller's transaction
        table = DailySequence._meta.db_table
        cursor.executemany(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = GREATEST({table}.last, EXCLUDED.last)",
            [(a, d, n) for (a, d), n in batch.top.items()],
        )


def _write_and_close(*args) -> None:
    try:
        write(*args)
    finally:
        connections.close_all()  # this thread's connection


class Writer:
    """Writes batches in order. Outside a transaction the COPY runs on a second connection in a thread, so
    PostgreSQL stores one batch while Python builds the next; inside one (tests) it runs inline."""

    def __init__(self, encoder: Encoder, skip_triggers: bool = True):
        self.encoder, self.skip_triggers = encoder, skip_triggers
        self.threaded = not connection.in_atomic_block
        self.pool = ThreadPoolExecutor(max_workers=1) if self.threaded else None
        self.pending: Future | None = None

    def add(self, batch: list) -> tuple[int, int, int]:
        """Encode and write a batch; (dossiers, steps, events) written."""
        if not batch:
            return 0, 0, 0
        encoded = self.encoder.encode(batch)
        self.wait()
        if self.pool:
            self.pending = self.pool.submit(_write_and_close, encoded, self.encoder, self.skip_triggers)
        else:
            write(encoded, self.encoder, self.skip_triggers)
        return encoded.counts

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.pool:
                self.pool.shutdown(wait=True)


def _build_indexes(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for ddl in definitions:
            cursor.execute(ddl)


def _build_indexes_and_close(definitions: list[str]) -> None:
    try:
        _build_indexes(definitions)
    finally:
        connections.close_all()


@contextmanager
def secondary_indexes_dropped(enabled: bool):
    """For large loads: drop the three tables' plain indexes and unique constraints (dossier code, step
    order) and build them again at the end, half on a second connection: building an index once is much
    cheaper than maintaining it row by row. Primary keys stay. Codes stay unique during the load because
    the daily sequences are raised with every batch; the constraints are checked again when re-added."""
    if not enabled:
        yield
        return
    names = [m._meta.db_table for m in (Dossier, DossierStep, DossierEvent)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.conrelid = i.indrelid) ORDER BY t.relname, 1",
            [names],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
            "JOIN pg_class t ON t.oid = k.conrelid WHERE t.relname = ANY(%s) AND k.contype = 'u' "
            "ORDER BY 1, 2",
            [names],
        )
        uniques = cursor.fetchall()
        for table, name, _ in uniques:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        ddl = [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {d}' for table, name, d in uniques]
        ddl += [d.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1) for _, d in indexes]
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(_build_indexes_and_close, ddl[1::2])
            _build_indexes(ddl[::2])
            other.result()
