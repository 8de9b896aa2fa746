"""The SQL that every Decision 766 count starts from: the population of a period as relation `x`, the bucket
predicates over it, and how a report query is run. The raw report (report.py) and the rollup cells (cells.py)
both build on it."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction

from dossiers.models import Dossier, Status
from dossiers.models.dossier import PAUSED
from dossiers.reporting.period import Period
from procedures.calendar import calendar
from procedures.models import Procedure

TZ = "Asia/Ho_Chi_Minh"
ORDINAL_YEARS_BACK = 3  # processing time is measured for dossiers received up to this long before the period

# Bucket predicates over the `x` relation below; the aggregates and the drill-down list share them.
# "In progress, late" restates dossiers.lifecycle.predicates.late_in_progress (x.forced_late is its
# forced_late) in SQL; tests/dossiers/test_deadline_predicates.py holds both to one table of cases.
# The populations (DOMAIN.md, Decision 766): received = processed + in progress + withdrawn + stopped, each
# received dossier in exactly one of them; a dossier refused at intake was never received and is its own line,
# counted in the period of the refusal. Only processed dossiers are early, on time or late.
_LATE_OPEN = "(x.forced_late OR (NOT x.paused AND x.due < x.p_ref))"
_LATE_DONE = "(x.forced_late OR x.fin > COALESCE(x.due, x.fin))"
BUCKETS: dict[str, str] = {
    "received": "NOT x.refused",
    "received_new": "NOT x.refused AND x.recv >= x.p_start",
    "carried_over": "NOT x.refused AND x.recv < x.p_start",
    "processed": "x.processed",
    "early": "x.processed AND NOT x.forced_late AND x.fin < COALESCE(x.due, x.fin)",
    "on_time": "x.processed AND NOT x.forced_late AND x.fin = COALESCE(x.due, x.fin)",
    "late": f"x.processed AND {_LATE_DONE}",
    "in_progress": "x.ongoing",
    "in_progress_on_time": f"x.ongoing AND NOT {_LATE_OPEN}",
    "in_progress_late": f"x.ongoing AND {_LATE_OPEN}",
    "withdrawn": f"x.finished AND x.status = '{Status.WITHDRAWN.value}'",
    "stopped": f"x.finished AND x.status = '{Status.STOPPED.value}'",
    "refused": "x.refused",
    "supplemented": "NOT x.refused AND x.supplement_count > 0",
    "overdue": f"(x.processed AND {_LATE_DONE}) OR (x.ongoing AND {_LATE_OPEN})",
}
COUNTS = list(BUCKETS)
# Every dossier a lateness bucket can hold satisfies this (a finish on a later local date is a later instant;
# a dossier still open at the period's end has no finish yet or finished after a due date already passed).
# The partial index dossier_comp_maybe_late holds only these rows, so the drill-down of a late cell reads the
# few percent of the period's dossiers that can be late instead of all of them. Keep both texts identical.
MAYBE_LATE = (
    "(d.supplement_count > 1 OR d.apology_count > 0 OR (d.finished_at IS NULL AND d.resolved_at IS NULL) "
    "OR COALESCE(d.finished_at, d.resolved_at) > d.legal_due_at)"
)
LATE_BUCKETS = ("late", "overdue", "in_progress_late")
DIMENSIONS = {
    "summary": None,
    "agency": "x.agency_id",
    "procedure": "x.procedure_id",
    "sector": "x.sector_id",
    "month": "x.p_label",
}

# Period k (1-based) of each dossier: one row per period it belongs to. A single period is k = 1; monthly
# periods run from the month of receipt to the month of finish, clamped to the report's months (a LATERAL
# series, not a join of every dossier with every month). Working-day ordinals are read from an array by day
# offset (O(1)).
_SINGLE = "CROSS JOIN (VALUES (1)) AS pk(k)"
_MONTHLY = """CROSS JOIN LATERAL generate_series(
        GREATEST(extract(year FROM d.recv)::int * 12 + extract(month FROM d.recv)::int - %(base_month)s, 1),
        LEAST(COALESCE(extract(year FROM d.fin)::int * 12 + extract(month FROM d.fin)::int - %(base_month)s,
                       %(n_periods)s), %(n_periods)s)) AS pk(k)"""

_COLUMNS = """d.id, d.competent_agency_id AS agency_id, d.procedure_id, p.sector_id, d.status,
           d.supplement_count, d.apology_count, d.paused_working_days, d.legal_due_at,
           {recv} AS recv,
           COALESCE(d.finished_at, d.resolved_at)::date AS fin,
           d.legal_due_at::date AS due,
           d.channel, d.is_digitised, d.reuses_data, d.resolved_at::date AS res, d.e_result_status,
           d.satisfaction, d.paid_at::date AS paid, d.paid_online, {refused} AS refused"""
# Received dossiers: received by the last day, not finished before the first (index dossier_comp_received).
_RECEIVED = """SELECT {columns}
    FROM {dossier} d JOIN {procedure} p ON p.id = d.procedure_id
    WHERE d.competent_agency_id = ANY(%(agencies)s) AND d.received_at < %(hi)s AND d.status <> '{refused}'
      AND (COALESCE(d.finished_at, d.resolved_at) IS NULL OR COALESCE(d.finished_at, d.resolved_at) >= %(lo)s)
      {extra}"""
# Refusals at intake, by the day of the refusal (partial index dossier_comp_refused); their "receipt" is that
# day, so a monthly series gives each exactly one month.
_REFUSED = """SELECT {columns}
    FROM {dossier} d JOIN {procedure} p ON p.id = d.procedure_id
    WHERE d.competent_agency_id = ANY(%(agencies)s) AND d.status = '{refused}'
      AND d.finished_at >= %(lo)s AND d.finished_at < %(hi)s"""
POPULATIONS = ("received", "refused")

_BASE_SQL = """
WITH d AS (
    {population}
), y AS (
    SELECT d.*, (%(labels)s::text[])[pk.k] AS p_label, (%(starts)s::date[])[pk.k] AS p_start,
           (%(ends)s::date[])[pk.k] AS p_end, (%(refs)s::date[])[pk.k] AS p_ref
    FROM d {periods}
), z AS (
    SELECT y.*,
           (NOT y.refused AND y.fin IS NOT NULL AND y.fin <= y.p_end) AS finished,
           (y.fin IS NULL AND y.status = ANY(%(paused)s)) AS paused,
           (y.supplement_count > 1 OR (%(apology_late)s AND y.apology_count > 0)) AS forced_late
    FROM y
), x AS (
    SELECT z.*,
           (z.finished AND z.status NOT IN ('{withdrawn}', '{stopped}')) AS processed,
           (NOT z.refused AND NOT z.finished) AS ongoing,
           CASE WHEN z.finished AND z.status NOT IN ('{withdrawn}', '{stopped}')
                THEN GREATEST((%(ords)s::int[])[z.fin - %(ord_first)s::date + 1]
                              - (%(ords)s::int[])[z.recv - %(ord_first)s::date + 1]
                              - z.paused_working_days, 0)
           END AS days
    FROM z
)
"""


def _ordinals(first: date, last: date) -> list[int]:
    """The working-day ordinal of each day of [first, last]: n(b) - n(a) = working days in (a, b]."""
    return [
        calendar.working_days_between(first, first + timedelta(days=i))
        for i in range((last - first).days + 1)
    ]


def query_params(agency_ids, periods: list[Period], extra: dict | None = None) -> dict:
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    ord_first = date(first.year - ORDINAL_YEARS_BACK, 1, 1)
    return {
        "labels": [p.label for p in periods],
        "starts": [p.start for p in periods],
        "ends": [p.end for p in periods],
        "refs": [p.ref for p in periods],
        "n_periods": len(periods),
        "base_month": first.year * 12 + first.month - 1,
        "ords": _ordinals(ord_first, last),
        "ord_first": ord_first,
        "tz": TZ,
        "agencies": sorted(agency_ids),
        "lo": min(p.lo for p in periods),
        "hi": max(p.hi for p in periods),
        "paused": [s.value for s in PAUSED],
        "apology_late": bool(settings.APOLOGY_COUNTS_AS_LATE),
        **(extra or {}),
    }


def base_sql(monthly: bool = False, extra: str = "", populations=POPULATIONS) -> str:
    """The CTEs ending in `x`: one row per dossier (and, monthly, per month) of the period.

    `populations`: which of POPULATIONS to read (the drill-down of a received bucket needs no refusals);
    `extra`: a condition added to the received dossiers' scan."""
    tables = {"dossier": Dossier._meta.db_table, "procedure": Procedure._meta.db_table}
    refused = Status.REFUSED.value
    parts = []
    if "received" in populations:
        columns = _COLUMNS.format(recv="d.received_at::date", refused="FALSE")
        parts.append(_RECEIVED.format(columns=columns, refused=refused, extra=extra, **tables))
    if "refused" in populations:
        columns = _COLUMNS.format(recv="d.finished_at::date", refused="TRUE")
        parts.append(_REFUSED.format(columns=columns, refused=refused, **tables))
    return _BASE_SQL.format(
        population="\n    UNION ALL\n    ".join(parts),
        periods=_MONTHLY if monthly else _SINGLE,
        withdrawn=Status.WITHDRAWN.value,
        stopped=Status.STOPPED.value,
    )


def run_query(sql: str, params: dict) -> list[tuple]:
    """Run a report query in the local time zone (timestamptz::date is then the local calendar date, several
    times cheaper than AT TIME ZONE per row), without JIT (its compile time dwarfs the query) and with room to
    sort in memory."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL timezone = '{TZ}'")
        cur.execute(sql, params)
        return [tuple(c.name for c in cur.description), *cur.fetchall()]
