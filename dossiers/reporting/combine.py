"""The report of a period from monthly rollups for the (agency, month) pairs that dossiers.stats.coverage
allows, plus raw dossiers for the rest (partial months, stale agencies), added up as dossiers.stats.rollup
describes; same numbers as the raw path."""

from __future__ import annotations

import math
from collections import defaultdict

from dossiers.models.stats import FIRST_FIELDS, LAST_FIELDS, SUM_FIELDS
from dossiers.reporting.cells import INDICATOR_COUNTS, raw_parts, rollup_parts
from dossiers.reporting.coverage import coverage, excluded, raw_pieces
from dossiers.reporting.period import Period
from dossiers.reporting.sql import BUCKETS

_SET = {"summary": (), "agency": ("agency",), "procedure": ("procedure",), "sector": ("sector",)}


def percentile(hist: dict[int, int], q: float = 0.9) -> float | None:
    """PostgreSQL's percentile_cont over the values a histogram counts."""
    n = sum(hist.values())
    if not n:
        return None
    pos = q * (n - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    a = b = None
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if a is None and seen > lo:
            a = value
        if seen > hi:
            b = value
            break
    return a + (b - a) * (pos - lo)


class _Acc:
    """Parts of one output row added up."""

    def __init__(self) -> None:
        self.values: dict[str, int] = defaultdict(int)
        self.hist: dict[int, int] = defaultdict(int)

    def add(self, grouped: tuple, keys: dict, part: dict) -> None:
        if "days" in grouped:
            self.hist[keys["days"]] += part["days_n"]
            return
        for f, v in part.items():
            self.values[f] += v or 0

    def row(self, key, with_indicators: bool) -> dict:
        v = self.values
        row = {f: v[f] for f in (*SUM_FIELDS, *FIRST_FIELDS, *LAST_FIELDS)}
        row.update(
            key=key,
            received=v["carried_over"] + v["received_new"],
            supplemented=v["supplemented_carried"] + v["supplemented_new"],
            overdue=v["late"] + v["in_progress_late"],
            avg_days=v["days_sum"] / v["days_n"] if v["days_n"] else None,
            p90_days=percentile(self.hist),
        )
        out = {k: row[k] for k in ("key", *_COUNTS, "avg_days", "p90_days")}
        if with_indicators:
            out["indicator_counts"] = {k: v[k] for k in INDICATOR_COUNTS}
        return out


_COUNTS = tuple(BUCKETS)  # the raw report's counts, in its order


def combined_sets(
    agency_ids, period: Period, dims, with_indicators: bool = False
) -> dict[str, list[dict]] | None:
    """{dimension: rows} for summary/agency/procedure/sector, or None when no month is covered by rollups."""
    covered = coverage(agency_ids, period)
    if not covered:
        return None
    sets = [_SET[by] for by in dims]
    sets += [(*s, "days") for s in sets]
    acc: dict[tuple, _Acc] = defaultdict(_Acc)

    def add(parts) -> None:
        for grouped, keys, part in parts:
            plain = tuple(c for c in grouped if c != "days")
            acc[(plain, tuple(keys[c] for c in plain))].add(grouped, keys, part)

    add(
        rollup_parts(
            agency_ids,
            sorted(covered),
            sets,
            first=period.start.replace(day=1),
            last=period.end.replace(day=1),
            indicators=with_indicators,
            exclude=excluded(covered, agency_ids),
        )
    )
    for agencies, piece in raw_pieces(period, covered, agency_ids):
        add(
            raw_parts(
                agencies,
                [piece],
                sets,
                monthly=False,
                first=piece.start == period.start,
                last=piece.end == period.end,
            )
        )
    out = {}
    for by in dims:
        s = _SET[by]
        rows = [
            a.row(k[0] if k else None, with_indicators and by == "agency")
            for (grouped, k), a in acc.items()
            if grouped == s
        ]
        out[by] = rows or ([] if s else [])
    return out


def combined_months(agency_ids, period: Period) -> list[dict] | None:
    """Rows by month: covered months from the rollups, the others from raw dossiers (one scan per run)."""
    covered = coverage(agency_ids, period)
    if not covered:
        return None
    sets = [("month",), ("month", "days")]
    acc: dict[str, _Acc] = defaultdict(_Acc)
    parts = rollup_parts(
        agency_ids,
        sorted(covered),
        sets,
        first=None,
        last=None,
        indicators=False,
        exclude=excluded(covered, agency_ids),
    )
    for agencies, piece in raw_pieces(period, covered, agency_ids):
        parts += raw_parts(agencies, piece.months(), sets, monthly=True)
    for grouped, keys, part in parts:
        acc[keys["month"]].add(grouped, keys, part)
    return [a.row(label, False) for label, a in acc.items()]


__all__ = ["combined_months", "combined_sets", "percentile"]
