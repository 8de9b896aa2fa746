"""The Decision 766 progress report, computed set-based in PostgreSQL (one query per table).

Populations of a period (DOMAIN.md): received = dossiers of the scope's competent agencies received on or
before the last day and not finished before the first (new + carried over); each is exactly one of processed
(a result approved or denied in the period), in progress at the period's end, withdrawn or stopped, so
received = processed + in progress + withdrawn + stopped. Refusals at intake (Form 03) were never received:
they are counted on their own line in the period of the refusal and stay outside every rate. Dates are
compared as local calendar dates (Asia/Ho_Chi_Minh); a dossier's finish is COALESCE(finished_at, resolved_at)
(the services write both at the resolution). Every processed dossier is early, on time or late against
legal_due_at (the due date already shifted by pauses; an apology never moves it). More than one supplement
request, or an apology when settings.APOLOGY_COUNTS_AS_LATE, makes a dossier late whatever its dates. An open
dossier is late when its legal due date is before the period's reference day (its end, or today if earlier),
except while the clock is paused. On-time rate = (processed early or on time + in progress on time) ÷
(processed + in progress). Processing time (of processed dossiers) is in working days between the local dates
of receipt and finish, minus the paused working days, read from a per-day ordinal table built from
procedures.calendar and passed as arrays so percentile_cont runs in SQL.
"""

from __future__ import annotations

from accounts.models import Agency
from dossiers.reporting.combine import combined_months, combined_sets
from dossiers.reporting.period import Period
from dossiers.reporting.sql import (
    BUCKETS,
    COUNTS,
    DIMENSIONS,
    LATE_BUCKETS,
    MAYBE_LATE,
    base_sql,
    query_params,
    run_query,
)
from procedures.models import Procedure, Sector


def _rate(row: dict) -> float | None:
    """On time among processed and in progress; None when there is neither (withdrawn, stopped and refused
    dossiers are outside the rate)."""
    counted = row["processed"] + row["in_progress"]
    if not counted:
        return None
    return round(100.0 * (row["early"] + row["on_time"] + row["in_progress_on_time"]) / counted, 2)


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
            base_sql()
            + f"SELECT {grouping} AS g, {columns}{_metrics()} FROM x GROUP BY GROUPING SETS ({sets})"
        )
        names, *values = run_query(sql, query_params(agency_ids, [period]))
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

    period = period.clipped()
    periods = period.months()
    combined = combined_months(agency_ids, period) if agency_ids else None
    if combined is not None:
        return _finish(by, combined, periods)
    sql = base_sql(monthly=True) + f"SELECT x.p_label AS key, {_metrics()} FROM x GROUP BY x.p_label"
    rows = []
    if agency_ids:
        names, *values = run_query(sql, query_params(agency_ids, periods))
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
    # Only the "refused" cell lists refusals; no other cell holds one.
    populations = ("refused",) if bucket == "refused" else ("received",)
    sql = (
        base_sql(extra=prefilter, populations=populations)
        + f"SELECT x.id, count(*) OVER () FROM x WHERE ({BUCKETS[bucket]}) {' '.join(filters)} "
        f"ORDER BY ({BUCKETS['overdue']}) DESC, x.legal_due_at ASC NULLS LAST, x.id "
        "LIMIT %(limit)s OFFSET %(offset)s"
    )
    if not agency_ids:
        return [], 0
    _names, *rows = run_query(
        sql, query_params(agency_ids, [period], {**extra, "limit": limit, "offset": offset})
    )
    return [r[0] for r in rows], (rows[0][1] if rows else 0)
