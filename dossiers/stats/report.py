"""The Decision 766 progress report, computed set-based in PostgreSQL (one query per table).

Population: dossiers of the scope's competent agencies received on or before the last day and not
finished before the first day ("received or handled in the period"). Dates are compared as local
calendar dates (Asia/Ho_Chi_Minh). "Finished" = COALESCE(finished_at, resolved_at): result issued,
refused, stopped or withdrawn. Every finished dossier is early, on time or late against legal_due_at
(the due date already shifted by pauses; an apology never moves it). More than one supplement request,
or an apology when settings.APOLOGY_COUNTS_AS_LATE, makes a dossier late whatever its dates. An open
dossier is late when its legal due date is before the period's reference day (its end, or today if
earlier), except while the clock is paused. Processing time is in working days between the local dates
of receipt and finish, minus the paused working days, read from a per-day ordinal table built from
procedures.calendar and passed as arrays so percentile_cont runs in SQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction

from accounts.models import Agency
from procedures.calendar import calendar
from procedures.models import Procedure, Sector

from ..models import Dossier, Status
from ..models.dossier import PAUSED
from .period import Period

TZ = "Asia/Ho_Chi_Minh"
ORDINAL_YEARS_BACK = 3  # processing time is measured for dossiers received up to this long before the period

# Bucket predicates over the `x` relation below; the aggregates and the drill-down list share them.
_LATE_OPEN = "(x.forced_late OR (NOT x.paused AND x.due < x.p_ref))"
BUCKETS: dict[str, str] = {
    "received": "TRUE",
    "received_new": "x.recv >= x.p_start",
    "carried_over": "x.recv < x.p_start",
    "finished": "x.finished",
    "early": "x.finished AND NOT x.forced_late AND x.fin < COALESCE(x.due, x.fin)",
    "on_time": "x.finished AND NOT x.forced_late AND x.fin = COALESCE(x.due, x.fin)",
    "late": "x.finished AND (x.forced_late OR x.fin > COALESCE(x.due, x.fin))",
    "in_progress": "NOT x.finished",
    "in_progress_on_time": f"NOT x.finished AND NOT {_LATE_OPEN}",
    "in_progress_late": f"NOT x.finished AND {_LATE_OPEN}",
    "processed": f"x.finished AND x.status <> '{Status.WITHDRAWN.value}'",
    "withdrawn": f"x.finished AND x.status = '{Status.WITHDRAWN.value}'",
    "refused": f"x.finished AND x.status = '{Status.REFUSED.value}'",
    "stopped": f"x.finished AND x.status = '{Status.STOPPED.value}'",
    "supplemented": "x.supplement_count > 0",
    "overdue": f"(x.finished AND (x.forced_late OR x.fin > COALESCE(x.due, x.fin))) "
    f"OR (NOT x.finished AND {_LATE_OPEN})",
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

_BASE_SQL = """
WITH d AS (
    SELECT d.id, d.competent_agency_id AS agency_id, d.procedure_id, p.sector_id, d.status,
           d.supplement_count, d.apology_count, d.paused_working_days, d.legal_due_at,
           d.received_at::date AS recv,
           COALESCE(d.finished_at, d.resolved_at)::date AS fin,
           d.legal_due_at::date AS due,
           d.channel, d.is_digitised, d.reuses_data, d.resolved_at::date AS res, d.e_result_status,
           d.satisfaction, d.paid_at::date AS paid, d.paid_online
    FROM {dossier} d JOIN {procedure} p ON p.id = d.procedure_id
    WHERE d.competent_agency_id = ANY(%(agencies)s) AND d.received_at < %(hi)s
      AND (COALESCE(d.finished_at, d.resolved_at) IS NULL OR COALESCE(d.finished_at, d.resolved_at) >= %(lo)s)
      {extra}
), y AS (
    SELECT d.*, (%(labels)s::text[])[pk.k] AS p_label, (%(starts)s::date[])[pk.k] AS p_start,
           (%(ends)s::date[])[pk.k] AS p_end, (%(refs)s::date[])[pk.k] AS p_ref
    FROM d {periods}
), x AS (
    SELECT y.*,
           (y.fin IS NOT NULL AND y.fin <= y.p_end) AS finished,
           (y.fin IS NULL AND y.status = ANY(%(paused)s)) AS paused,
           (y.supplement_count > 1 OR (%(apology_late)s AND y.apology_count > 0)) AS forced_late,
           CASE WHEN y.fin IS NOT NULL AND y.fin <= y.p_end
                THEN GREATEST((%(ords)s::int[])[y.fin - %(ord_first)s::date + 1]
                              - (%(ords)s::int[])[y.recv - %(ord_first)s::date + 1]
                              - y.paused_working_days, 0)
           END AS days
    FROM y
)
"""


def _ordinals(first: date, last: date) -> list[int]:
    """The working-day ordinal of each day of [first, last]: n(b) - n(a) = working days in (a, b]."""
    return [
        calendar.working_days_between(first, first + timedelta(days=i))
        for i in range((last - first).days + 1)
    ]


def _params(agency_ids, periods: list[Period], extra: dict | None = None) -> dict:
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


def _base(monthly: bool = False, extra: str = "") -> str:
    return _BASE_SQL.format(
        dossier=Dossier._meta.db_table,
        procedure=Procedure._meta.db_table,
        extra=extra,
        periods=_MONTHLY if monthly else _SINGLE,
    )


def _run(sql: str, params: dict) -> list[tuple]:
    """Run a report query in the local time zone (timestamptz::date is then the local calendar date, several
    times cheaper than AT TIME ZONE per row), without JIT (its compile time dwarfs the query) and with room to
    sort in memory."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL timezone = '{TZ}'")
        cur.execute(sql, params)
        return [tuple(c.name for c in cur.description), *cur.fetchall()]


def _rate(row: dict) -> float | None:
    if not row["received"]:
        return None
    return round(100.0 * (row["early"] + row["on_time"] + row["in_progress_on_time"]) / row["received"], 2)


_SET_KEYS = (
    "agency",
    "procedure",
    "sector",
)  # GROUPING(agency, procedure, sector) bits, most significant first


def _metrics() -> str:
    counts = ",\n".join(f"count(*) FILTER (WHERE {pred}) AS {name}" for name, pred in BUCKETS.items())
    return (
        f"{counts}, avg(x.days) AS avg_days, percentile_cont(0.9) WITHIN GROUP (ORDER BY x.days) AS p90_days"
    )


def aggregate_sets(
    agency_ids,
    period: Period,
    dims=("summary", "agency", "procedure", "sector"),
    with_indicators: bool = False,
) -> dict:
    """Several groupings of one period in a single scan (GROUPING SETS): {dimension: rows}.

    Closed whole months come from the monthly rollups when they are built (dossiers.stats.rollup); then, with
    `with_indicators`, the agency rows also carry `indicator_counts` for dossiers.indicators."""
    from .combine import combined_sets

    period = period.clipped()
    dims = list(dict.fromkeys(dims))
    if agency_ids:
        combined = combined_sets(agency_ids, period, dims, with_indicators)
        if combined is not None:
            return {by: _finish(by, rows, [period]) for by, rows in combined.items()}
    result: dict[str, list[dict]] = {by: [] for by in dims}
    if agency_ids:
        keys = [by for by in dims if by != "summary"]
        sets = ", ".join("()" if by == "summary" else f"({DIMENSIONS[by]})" for by in dims)
        full = (1 << len(keys)) - 1
        grouping = f"GROUPING({', '.join(DIMENSIONS[k] for k in keys)})" if keys else "0"
        columns = "".join(f"{DIMENSIONS[k]} AS {k}_id, " for k in keys)
        sql = (
            _base() + f"SELECT {grouping} AS g, {columns}{_metrics()} FROM x GROUP BY GROUPING SETS ({sets})"
        )
        names, *values = _run(sql, _params(agency_ids, [period]))
        # GROUPING() sets the bit of each key that is not grouped in the row's set (first key = highest bit).
        by_bits = {full: "summary", **{full ^ (1 << (len(keys) - 1 - i)): k for i, k in enumerate(keys)}}
        for values_row in values:
            row = dict(zip(names, values_row, strict=True))
            by = by_bits[row.pop("g")]
            row["key"] = row[f"{by}_id"] if by != "summary" else None
            result[by].append(row)
    return {by: _finish(by, rows, [period]) for by, rows in result.items()}


def aggregate(agency_ids, period: Period, by: str = "summary") -> list[dict]:
    """Counts per group, with average and 90th-percentile working days and the on-time rate (percent)."""
    if by != "month":
        return aggregate_sets(agency_ids, period, [by])[by]
    from .combine import combined_months

    period = period.clipped()
    periods = period.months()
    combined = combined_months(agency_ids, period) if agency_ids else None
    if combined is not None:
        return _finish(by, combined, periods)
    sql = _base(monthly=True) + f"SELECT x.p_label AS key, {_metrics()} FROM x GROUP BY x.p_label"
    rows = []
    if agency_ids:
        names, *values = _run(sql, _params(agency_ids, periods))
        rows = [dict(zip(names, r, strict=True)) for r in values]
    return _finish(by, rows, periods)


def _finish(by: str, rows: list[dict], periods: list[Period]) -> list[dict]:
    """Zeros for empty groups, rounded times, the on-time rate and display names."""
    if by == "summary" and not rows:
        rows = [{}]
    if by == "month":  # months without any dossier still appear, as zeros
        found = {r["key"]: r for r in rows}
        rows = [found.get(p.label, {"key": p.label}) for p in periods]
    for r in rows:
        for name in ("agency_id", "procedure_id", "sector_id"):
            r.pop(name, None)
        for name in COUNTS:
            r[name] = r.get(name) or 0
        r["avg_days"] = round(float(r["avg_days"]), 1) if r.get("avg_days") is not None else None
        r["p90_days"] = round(float(r["p90_days"]), 1) if r.get("p90_days") is not None else None
        r["on_time_rate"] = _rate(r)
    _name_rows(by, rows)
    return rows


def _name_rows(by: str, rows: list[dict]) -> None:
    """Attach display names with one query per table (never per row)."""
    keys = [r["key"] for r in rows if r.get("key") is not None]
    if by == "agency":
        names = {a.id: (a.code, a.name) for a in Agency.objects.filter(id__in=keys).only("code", "name")}
    elif by == "procedure":
        names = {p.id: (p.code, p.name) for p in Procedure.objects.filter(id__in=keys).only("code", "name")}
    elif by == "sector":
        names = {s.id: (s.code, s.name) for s in Sector.objects.filter(id__in=keys)}
    elif by == "month":
        names = {k: (k, f"{k[5:]}/{k[:4]}") for k in keys}
    else:
        names = {}
    for r in rows:
        r["code"], r["name"] = names.get(r.get("key"), ("", ""))
    if by in ("agency", "procedure", "sector"):
        rows.sort(key=lambda r: (r["code"], r["name"]))


def summary(agency_ids, period: Period) -> dict:
    return aggregate(agency_ids, period, "summary")[0]


def bucket_ids(
    agency_ids,
    period: Period,
    bucket: str,
    *,
    agency: int | None = None,
    procedure: int | None = None,
    sector: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[int], int]:
    """Ids of the dossiers behind one cell of the report (overdue first, then by due date) and their total."""
    if bucket not in BUCKETS:
        raise KeyError(bucket)
    period = period.clipped()
    filters, extra = [], {}
    for name, value in (("agency_id", agency), ("procedure_id", procedure), ("sector_id", sector)):
        if value is not None:
            filters.append(f"AND x.{name} = %({name})s")
            extra[name] = value
    prefilter = f"AND {MAYBE_LATE}" if bucket in LATE_BUCKETS else ""
    sql = (
        _base(extra=prefilter)
        + f"SELECT x.id, count(*) OVER () FROM x WHERE ({BUCKETS[bucket]}) {' '.join(filters)} "
        f"ORDER BY ({BUCKETS['overdue']}) DESC, x.legal_due_at ASC NULLS LAST, x.id "
        "LIMIT %(limit)s OFFSET %(offset)s"
    )
    if not agency_ids:
        return [], 0
    _names, *rows = _run(sql, _params(agency_ids, [period], {**extra, "limit": limit, "offset": offset}))
    return [r[0] for r in rows], (rows[0][1] if rows else 0)
