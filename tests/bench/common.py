"""Small helpers shared by the benchmarks: Django setup, timing with perf_counter, table printing, and COPY of
minimal dossier rows."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Sequence


def setup_django() -> None:
    """Make Django usable when a benchmark runs as a script (no-op under pytest or when already set up)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


# Dossier columns a COPY must fill (NOT NULL, no database default), with neutral values; a benchmark's rows
# give only what they vary (code, dates, status, agencies, procedure...).
DOSSIER_DEFAULTS: dict[str, object] = {
    "procedure_version": 1,
    "applicant_name": "Người Đo",
    "applicant_id_number": "001190012345",
    "applicant_phone": "",
    "applicant_email": "",
    "applicant_address": "",
    "subject": "",
    "sets": 1,
    "channel": "counter",
    "outcome": "",
    "outcome_note": "",
    "return_method": "",
    "paused_working_days": 0,
    "supplement_count": 0,
    "apology_count": 0,
    "fee_amount": 0,
    "paid_online": False,
    "tracking_pin": "123456",
    "e_result_status": "",
    "e_result_error": "",
    "is_digitised": False,
    "reuses_data": False,
    "satisfaction": "",
}


def received_and_due(received, due) -> dict[str, object]:
    """The date columns of a dossier received at `received` and due at `due` (no pause, no apology)."""
    return {
        "created_at": received,
        "received_at": received,
        "clock_started_at": received,
        "updated_at": received,
        "due_at": due,
        "legal_due_at": due,
        "original_due_at": due,
    }


def copy_dossiers(rows: Iterable[dict]) -> None:
    """COPY dossier rows (dicts with the same keys; the other required columns from DOSSIER_DEFAULTS)."""
    from django.db import connection

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    names = [*first, *(c for c in DOSSIER_DEFAULTS if c not in first)]
    defaults = [DOSSIER_DEFAULTS.get(c) for c in names]
    with (
        connection.cursor() as cur,
        cur.copy(f"COPY dossiers_dossier ({', '.join(names)}) FROM STDIN") as copy,
    ):
        for row in itertools.chain([first], rows):
            copy.write_row([row[c] if c in row else d for c, d in zip(names, defaults, strict=True)])


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best wall time in seconds of `repeat` runs of fn()."""
    best = float("inf")
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


class Stopwatch:
    """`with Stopwatch() as sw: ...` then sw.seconds."""

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._start


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def format_table(rows: Sequence[dict], columns: Iterable[str] | None = None) -> str:
    """A plain-text table of rows (dicts), columns in the given order or the first row's key order."""
    if not rows:
        return "(no rows)"
    columns = list(columns or rows[0].keys())
    cells = [[_cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row.get(c), int | float) for row in rows) for c in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)
        )

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def print_table(title: str, rows: Sequence[dict], columns: Iterable[str] | None = None) -> None:
    print(f"\n== {title} ==")
    print(format_table(rows, columns))
