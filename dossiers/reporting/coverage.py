"""Which rollup rows a report may read: per whole month of its period, the agencies whose (agency, month)
row is built, clean and judged on the right day (a closed month at its last day, the current month at the
period's today). Everything else of the period is counted from raw dossiers, agency by agency, so one agency
changed a minute ago costs a raw count of that agency alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from dossiers.models import StatsMonth
from dossiers.reporting.period import Period, month_end

_SQL = """
SELECT month, count(*), CASE WHEN count(*) < %(n)s THEN array_agg(agency_id) END
FROM {table}
WHERE agency_id = ANY(%(agencies)s) AND month = ANY(%(months)s::date[]) AND NOT dirty
  AND judged_on = LEAST((month + interval '1 month' - interval '1 day')::date, %(today)s::date)
GROUP BY month
"""


def coverage(agency_ids, period: Period) -> dict[date, frozenset[int]]:
    """{first day of a whole month of the period: agencies read from rollups}; months with none left out."""
    ids = frozenset(int(a) for a in agency_ids)
    candidates = [
        m.start
        for m in period.months()
        if m.start.day == 1 and m.end == month_end(m.start) and m.start <= period.today
    ]
    if not candidates or not ids:
        return {}
    params = {"n": len(ids), "agencies": sorted(ids), "months": candidates, "today": period.today}
    with connection.cursor() as cur:
        cur.execute(_SQL.format(table=StatsMonth._meta.db_table), params)
        return {
            month: ids if agencies is None else frozenset(agencies) for month, _n, agencies in cur.fetchall()
        }


def covered_months(agency_ids, period: Period) -> set[date]:
    """The months of the period read from rollups for every agency of the scope."""
    ids = frozenset(int(a) for a in agency_ids)
    return {m for m, covered in coverage(ids, period).items() if covered == ids}


def raw_pieces(
    period: Period, covered: dict[date, frozenset[int]], agency_ids
) -> list[tuple[frozenset, Period]]:
    """(agencies, days) to count from raw dossiers: runs of consecutive months missing the same agencies."""
    ids = frozenset(int(a) for a in agency_ids)
    pieces: list[tuple[frozenset, Period]] = []
    for m in period.months():
        missing = ids - covered.get(m.start, frozenset())
        if not missing:
            continue
        if pieces and pieces[-1][0] == missing and pieces[-1][1].end + timedelta(days=1) == m.start:
            pieces[-1] = (missing, Period(pieces[-1][1].start, m.end, period.today))
        else:
            pieces.append((missing, m))
    return pieces


def excluded(covered: dict[date, frozenset[int]], agency_ids) -> list[tuple[int, date]]:
    """(agency, month) pairs of the rollup months that must not be read (stale or missing for that agency)."""
    ids = frozenset(int(a) for a in agency_ids)
    return [(a, m) for m, c in sorted(covered.items()) for a in sorted(ids - c)]
