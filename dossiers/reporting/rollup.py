"""Monthly rollups of the Decision 766 report: building closed months and the current month, and recounting
them from raw dossiers.

One row per (competent agency, procedure, month) holds the report of that month alone, judged at its last day
(closed months) or at today (the current month, rebuilt whenever it is stale). A period made of months then
adds up exactly: counts of receipt, finishing (processed early/on time/late, withdrawn, stopped), refusal at
intake, resolution, payment and working days belong to the one month they happened in and are summed;
"carried over" comes from the first month and "in progress" (on time/late) from the last. "Dossiers with
supplement requests" counts each dossier of the period once: those carried into the period (from its first
month) plus those received in each month. The 90th percentile comes from the summed histogram of working
days, with PostgreSQL's percentile_cont interpolation. Sectors are joined through the procedure at read
time, so moving a procedure to another sector needs no rebuild.

`StatsMonth` says which (agency, month) is built, judged on which day, and whether a change touched it since
(dossiers.stats.marks: every audit event marks its months in its own transaction; rebuilds take per-agency
locks so none is lost). dossiers.stats.coverage picks the rows a report may use; the rest is read raw. The
nightly task builds missing closed months and rebuilds dirty ones; a task every minute rebuilds the current
month of the agencies a change touched (and of every agency once a day, when "today" moves on). Writes that
bypass the services (COPY loads, SQL fixes), calendar overrides for past dates or changing
APOLOGY_COUNTS_AS_LATE need `manage.py build_stats_rollups`; `reconcile_stats` proves the rollups equal a
recount.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import Agency
from dossiers.models import Dossier, StatsMonth, StatsRollup
from dossiers.models.stats import HIST_DAYS, HIST_FIELDS, ROLLUP_FIELDS
from dossiers.reporting.cells import raw_parts
from dossiers.reporting.marks import current_month, lock_agencies
from dossiers.reporting.period import MAX_YEARS, Period, local_today, month_end, next_month
from procedures.calendar import LOCAL_TZ

CELL_SETS = [("agency", "procedure", "month"), ("agency", "procedure", "month", "days")]
CHUNK = 200  # agencies rebuilt per transaction: bounds the advisory locks held and how long changes wait


def _runs(months: list[date]) -> list[list[date]]:
    """Consecutive months grouped: each run is computed in one scan."""
    runs: list[list[date]] = []
    for m in sorted(set(months)):
        if runs and next_month(runs[-1][-1]) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def recount(agency_ids, months: list[date], today: date | None = None) -> dict[tuple[int, int, date], dict]:
    """Rollup values per (agency, procedure, month) recounted from raw dossiers, a scan per run of months.

    Each month is judged at its last day, or at `today` (default: the local date) when that is earlier."""
    cells: dict[tuple[int, int, date], dict] = {}
    hists: dict[tuple[int, int, date], dict[int, int]] = defaultdict(dict)
    today = today or local_today()
    for run in _runs(months):
        period = Period(run[0], month_end(run[-1]), today)
        for grouped, keys, part in raw_parts(agency_ids, period.months(), CELL_SETS, monthly=True):
            key = (keys["agency"], keys["procedure"], date.fromisoformat(keys["month"] + "-01"))
            if "days" in grouped:
                hists[key][keys["days"]] = part["days_n"]
            else:
                cells[key] = part
    for key, part in cells.items():
        hist = hists.get(key, {})
        part.update({f: hist.get(d, 0) for d, f in enumerate(HIST_FIELDS)})
        longest = max(hist, default=0)
        part["hist"] = [hist.get(d, 0) for d in range(HIST_DAYS, longest + 1)]
    return cells


def _build_chunk(ids: list[int], run: list[date], today: date) -> int:
    """Rebuild one run of months for some agencies in one transaction, holding their rebuild locks."""
    with transaction.atomic():
        lock_agencies(ids)
        now = timezone.now()
        judged = {m: min(month_end(m), today) for m in run}
        StatsMonth.objects.bulk_create(
            [StatsMonth(agency_id=a, month=m, built_at=now, judged_on=judged[m]) for a in ids for m in run],
            ignore_conflicts=True,
        )
        cells = recount(ids, run, today)
        StatsRollup.objects.filter(agency_id__in=ids, month__in=run).delete()
        StatsRollup.objects.bulk_create(
            [StatsRollup(agency_id=a, procedure_id=p, month=m, **part) for (a, p, m), part in cells.items()],
            batch_size=2000,
        )
        for m in run:
            StatsMonth.objects.filter(agency_id__in=ids, month=m).update(
                dirty=False, built_at=now, judged_on=judged[m]
            )
        return len(cells)


def _all_agencies(agency_ids) -> list[int]:
    if agency_ids is not None:
        return sorted(agency_ids)
    return list(Agency.objects.order_by("id").values_list("id", flat=True))


def build_months(months: list[date], agency_ids=None) -> int:
    """(Re)build the rollups of closed months for some agencies (all by default); returns the rows written.

    Each run of consecutive months is counted in one scan per chunk of agencies."""
    ids = _all_agencies(agency_ids)
    closed = current_month()
    today = local_today()
    written = 0
    for run in _runs([m.replace(day=1) for m in months if m.replace(day=1) < closed]):
        for i in range(0, len(ids), CHUNK):
            written += _build_chunk(ids[i : i + CHUNK], run, today)
    return written


def build_current(agency_ids=None) -> int:
    """(Re)build the current month, judged at today, for some agencies (all by default)."""
    ids = _all_agencies(agency_ids)
    today = local_today()
    return sum(
        _build_chunk(ids[i : i + CHUNK], [today.replace(day=1)], today) for i in range(0, len(ids), CHUNK)
    )


def refresh_current() -> dict:
    """The task every minute: rebuild the current month of agencies changed since, or judged on another day,
    or not built yet. Cost follows the agencies changed, except once a day when every agency is rebuilt."""
    today = local_today()
    month = today.replace(day=1)
    fresh = set(
        StatsMonth.objects.filter(month=month, dirty=False, judged_on=today).values_list(
            "agency_id", flat=True
        )
    )
    if len(fresh) == Agency.objects.count():
        return {"agencies": 0, "rows": 0}
    stale = [a for a in Agency.objects.order_by("id").values_list("id", flat=True) if a not in fresh]
    return {"agencies": len(stale), "rows": build_current(stale)}


def closed_months_with_data(today: date | None = None) -> list[date]:
    """Every closed month from the first dossier received (at most MAX_YEARS back) to last month."""
    last = current_month(today)
    first_received = Dossier.objects.aggregate(m=Min("received_at"))["m"]
    if first_received is None:
        return []
    first = max(
        first_received.astimezone(LOCAL_TZ).date().replace(day=1), date(last.year - MAX_YEARS, last.month, 1)
    )
    months, m = [], first
    while m < last:
        months.append(m)
        m = next_month(m)
    return months


def refresh(today: date | None = None) -> dict:
    """The nightly job: build closed months missing for some agency, then rebuild the dirty ones and those
    last judged before their end (a current month that closed before its last rebuild)."""
    months = closed_months_with_data(today)
    n_agencies = Agency.objects.count()
    built = dict(
        StatsMonth.objects.filter(month__in=months).values_list("month").annotate(n=Count("id")).order_by()
    )
    missing = [m for m in months if built.get(m, 0) < n_agencies]
    rows = build_months(missing) if missing else 0
    todo: dict[date, set[int]] = defaultdict(set)
    stale = (
        StatsMonth.objects.filter(month__in=months)
        .filter(Q(dirty=True) | Q(judged_on__lt=month_end_sql()))
        .values_list("agency_id", "month")
    )
    for agency_id, month in stale:
        todo[month].add(agency_id)
    for month, ids in sorted(todo.items()):
        rows += build_months([month], ids)
    return {"missing_months": len(missing), "dirty_months": len(todo), "rows": rows}


def month_end_sql():
    """The last day of a StatsMonth row's month, as a query expression."""
    from django.db.models.expressions import RawSQL

    return RawSQL("(month + interval '1 month' - interval '1 day')::date", ())


def stored(agency_ids, months: list[date]) -> dict[tuple[int, int, date], dict]:
    out = {}
    for r in StatsRollup.objects.filter(agency_id__in=agency_ids, month__in=months).values(
        "agency_id", "procedure_id", "month", "hist", *ROLLUP_FIELDS
    ):
        key = (r.pop("agency_id"), r.pop("procedure_id"), r.pop("month"))
        out[key] = r
    return out


def differences(agency_ids, months: list[date]) -> list[tuple[tuple[int, int, date], str, object, object]]:
    """(cell, field, stored, recounted) for every value where the rollups differ from a recount.

    The current month is checked for the agencies whose row was judged today (the others are stale, so
    unused, until the next rebuild)."""
    if not months or not agency_ids:
        return []
    fresh, kept = recount(agency_ids, months), stored(agency_ids, months)
    current = current_month()
    if current in months:
        judged = set(
            StatsMonth.objects.filter(
                agency_id__in=agency_ids, month=current, judged_on=local_today()
            ).values_list("agency_id", flat=True)
        )
        for cells in (fresh, kept):
            for key in [k for k in cells if k[2] == current and k[0] not in judged]:
                del cells[key]
    zero = {**dict.fromkeys(ROLLUP_FIELDS, 0), "hist": []}
    out = []
    for key in sorted(set(fresh) | set(kept)):
        a, b = kept.get(key, zero), fresh.get(key, zero)
        for f in (*ROLLUP_FIELDS, "hist"):
            if a[f] != b[f]:
                out.append((key, f, a[f], b[f]))
    return out


def rebuild(months: list[date], agency_ids) -> int:
    """Rebuild some months, closed or current, for some agencies (reconcile_stats --fix)."""
    current = current_month()
    rows = build_months([m for m in months if m < current], agency_ids)
    return rows + (build_current(agency_ids) if current in months else 0)


def analyze() -> None:
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {StatsRollup._meta.db_table}; ANALYZE {StatsMonth._meta.db_table}")
