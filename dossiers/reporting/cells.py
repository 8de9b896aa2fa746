"""Report counters grouped by agency, procedure, sector, month and working days, from raw dossiers or from
the monthly rollups; each row comes back as additive parts (see dossiers.stats.rollup)."""

from __future__ import annotations

from datetime import date

from dossiers.models import Channel, Dossier, StatsRollup
from dossiers.models.stats import (
    FIRST_FIELDS,
    HIST_DAYS,
    HIST_FIELDS,
    INDICATOR_FIELDS,
    LAST_FIELDS,
    SUM_FIELDS,
)
from dossiers.reporting.period import Period
from dossiers.reporting.sql import BUCKETS, base_sql, query_params, run_query
from procedures.models import Procedure

COLUMNS = ("agency", "procedure", "sector", "month", "days")
_RAW = {
    "agency": "x.agency_id",
    "procedure": "x.procedure_id",
    "sector": "x.sector_id",
    "month": "x.p_label",
    "days": "x.days",
}
_ROLLED = {
    "agency": "r.agency_id",
    "procedure": "r.procedure_id",
    "sector": "p.sector_id",
    "month": "to_char(r.month, 'YYYY-MM')",
    "days": "(u.i - 1)::int",
}
_RESOLVED = "NOT x.refused AND x.res BETWEEN x.p_start AND x.p_end"
_PAID = "NOT x.refused AND x.paid BETWEEN x.p_start AND x.p_end"
_NEW = "NOT x.refused AND x.recv >= x.p_start"
# Counted by the month of receipt, resolution or payment: each falls in exactly one month, so months add up.
# A refusal at intake was never received: it is in none of them (dossiers.reporting.indicators agrees).
EXTRA = {
    "supplemented_new": f"{_NEW} AND x.supplement_count > 0",
    "online": f"{_NEW} AND x.channel = '{Channel.ONLINE.value}'",
    "digitised": f"{_NEW} AND x.is_digitised",
    "reused": f"{_NEW} AND x.reuses_data",
    "resolved": _RESOLVED,
    "e_results": f"{_RESOLVED} AND x.e_result_status = '{Dossier.EResult.DONE.value}'",
    "rated": f"{_RESOLVED} AND x.satisfaction <> ''",
    "satisfied": f"{_RESOLVED} AND x.satisfaction IN ('very_satisfied', 'satisfied')",
    "paid": _PAID,
    "paid_online": f"{_PAID} AND x.paid_online",
}
INDICATOR_COUNTS = INDICATOR_FIELDS


def _grouping(columns: dict[str, str], sets: list[tuple[str, ...]]) -> tuple[str, list[str], dict]:
    """SELECT prefix, the grouped column names, and {GROUPING() value: set}."""
    used = [c for c in COLUMNS if any(c in s for s in sets)]
    if not used:
        return "0 AS g", [], {0: ()}
    select = f"GROUPING({', '.join(columns[c] for c in used)}) AS g, " + ", ".join(
        f"{columns[c]} AS {c}" for c in used
    )
    bits = {}
    for s in sets:
        g = sum(1 << (len(used) - 1 - i) for i, c in enumerate(used) if c not in s)
        bits[g] = tuple(c for c in used if c in s)
    return select, used, bits


def _group_by(columns: dict[str, str], sets) -> str:
    return ", ".join("(" + ", ".join(columns[c] for c in COLUMNS if c in s) + ")" for s in sets)


def _rows(sql: str, params: dict, used: list[str], bits: dict) -> list[tuple[tuple, dict, dict]]:
    """(set, keys, values) per row; rows of a `days` set without a number of days (still open) are dropped."""
    names, *values = run_query(sql, params)
    out = []
    for v in values:
        row = dict(zip(names, v, strict=True))
        grouped = bits[row.pop("g")]
        keys = {c: row.pop(c) for c in used}
        if "days" in grouped and keys["days"] is None:
            continue
        out.append((grouped, {c: keys[c] for c in grouped}, row))
    return out


def raw_parts(
    agency_ids, periods: list[Period], sets, *, monthly: bool, first: bool = True, last: bool = True
):
    """Parts of raw dossiers for one period (or, monthly, a series of whole months each its own period).

    `first`/`last`: whether this piece opens/closes the requested period (then it gives the carried-over
    and the in-progress counts)."""
    select, used, bits = _grouping(_RAW, sets)
    counts = {**BUCKETS, **EXTRA}
    metrics = ", ".join(f"count(*) FILTER (WHERE {pred}) AS {name}" for name, pred in counts.items())
    sql = (
        base_sql(monthly) + f"SELECT {select}, {metrics}, sum(x.days) AS days_sum, count(x.days) AS days_n "
        f"FROM x GROUP BY GROUPING SETS ({_group_by(_RAW, sets)})"
    )
    out = []
    for grouped, keys, row in _rows(sql, query_params(agency_ids, periods), used, bits):
        part = {f: row[f] or 0 for f in SUM_FIELDS}
        if first:
            part["carried_over"] = row["carried_over"]
            part["supplemented_carried"] = row["supplemented"] - row["supplemented_new"]
        if last:
            part.update({f: row[f] for f in LAST_FIELDS})
        out.append((grouped, keys, part))
    return out


def rollup_parts(
    agency_ids,
    months: list[date],
    sets,
    *,
    first: date | None,
    last: date | None,
    indicators: bool = True,
    exclude: list[tuple[int, date]] = (),
):
    """Parts summed over the rollups of `months`; carried over from `first`, in progress at the end of `last`
    (None: of every month, for rows grouped by month). A `days` set gives histogram rows (`days_n`).
    `exclude`: (agency, month) pairs not to read (the caller counts them from raw dossiers).

    Without months in the grouping, rows are first summed per (agency, procedure), so the grouping sets run
    over a few thousand rows whatever the number of months."""
    if not months or not agency_ids:
        return []
    plain = list(dict.fromkeys(tuple(c for c in s if c != "days") for s in sets))
    with_days = {tuple(c for c in s if c != "days") for s in sets if "days" in s}
    params = {"agencies": sorted(agency_ids), "months": months, "first": first, "last": last}
    sums = [f for f in SUM_FIELDS if indicators or f not in INDICATOR_COUNTS] + list(HIST_FIELDS)
    where = "WHERE r.agency_id = ANY(%(agencies)s) AND r.month = ANY(%(months)s::date[])"
    if exclude:
        params.update(ex_agency=[a for a, _m in exclude], ex_month=[m for _a, m in exclude])
        where += (
            " AND (r.agency_id, r.month) NOT IN "
            "(SELECT * FROM unnest(%(ex_agency)s::int[], %(ex_month)s::date[]))"
        )
    table, procedure = StatsRollup._meta.db_table, Procedure._meta.db_table

    def at(f: str, name: str) -> str:
        return f"sum(r.{f})" + ("" if params[name] is None else f" FILTER (WHERE r.month = %({name})s)")

    inner = [f"sum(r.{f}) AS {f}" for f in sums]
    inner += [f"{at(f, 'first')} AS {f}" for f in FIRST_FIELDS] + [
        f"{at(f, 'last')} AS {f}" for f in LAST_FIELDS
    ]
    fields = [*sums, *FIRST_FIELDS, *LAST_FIELDS]
    select, used, bits = _grouping(_ROLLED, plain)
    grouping = f"GROUP BY GROUPING SETS ({_group_by(_ROLLED, plain)})"
    if any("month" in s for s in plain):
        sql = (
            f"SELECT {select}, {', '.join(inner)} "
            f"FROM {table} r JOIN {procedure} p ON p.id = r.procedure_id {where} {grouping}"
        )
    else:
        outer = ", ".join(f"sum(r.{f}) AS {f}" for f in fields)
        sql = (
            f"WITH r AS (SELECT r.agency_id, r.procedure_id, {', '.join(inner)} FROM {table} r {where} "
            f"GROUP BY r.agency_id, r.procedure_id) "
            f"SELECT {select}, {outer} FROM r JOIN {procedure} p ON p.id = r.procedure_id {grouping}"
        )
    out = []
    for grouped, keys, row in _rows(sql, params, used, bits):
        values = {f: int(row[f] or 0) for f in fields}
        hist = {d: values.pop(f) for d, f in enumerate(HIST_FIELDS)}
        out.append((grouped, keys, values))
        if grouped in with_days:
            out += [((*grouped, "days"), {**keys, "days": d}, {"days_n": n}) for d, n in hist.items() if n]
    if with_days:  # the rare dossiers of HIST_DAYS working days or more
        day_sets = [(*s, "days") for s in with_days]
        select, used, bits = _grouping(_ROLLED, day_sets)
        sql = (
            f"SELECT {select}, sum(u.n) AS days_n FROM {table} r JOIN {procedure} p ON p.id = r.procedure_id "
            f"CROSS JOIN LATERAL unnest(r.hist) WITH ORDINALITY AS u(n, i) {where} "
            f"AND cardinality(r.hist) > 0 AND u.n > 0 GROUP BY GROUPING SETS ({_group_by(_ROLLED, day_sets)})"
        )
        for grouped, keys, row in _rows(sql, params, used, bits):
            out.append((grouped, {**keys, "days": keys["days"] + HIST_DAYS}, {"days_n": int(row["days_n"])}))
    return out
