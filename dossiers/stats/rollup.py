"""Monthly rollups of the Decision 766 report: which months they cover, building closed months, marking the
months a change touched, and recounting them from raw dossiers.

One row per (competent agency, procedure, month) holds the report of that month alone (judged at its last
day). A period made of months then adds up exactly: counts of receipt, finishing (early/on time/late,
withdrawn, refused, stopped), resolution, payment and working days belong to the one month they happened in
and are summed; "carried over" comes from the first month and "in progress" (on time/late) from the last.
"Dossiers with supplement requests" counts each dossier of the period once: those carried into the period
(from its first month) plus those received in each month. The 90th percentile comes from the summed
histogram of working days, with PostgreSQL's percentile_cont interpolation. Sectors are joined through the
procedure at read time, so moving a procedure to another sector needs no rebuild.

An (agency, month) is used only when it is closed (before the period's `today`) and built and clean
(`StatsMonth`). Every audit event of a dossier received before the current month marks its closed months
dirty (row-locked, so a rebuild running at that moment cannot lose it); the nightly task rebuilds dirty and
missing months. Writes that bypass the services (COPY loads, SQL fixes), calendar overrides for past dates or
changing APOLOGY_COUNTS_AS_LATE need `manage.py build_stats_rollups`; `reconcile_stats` proves the rollups
equal a recount.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from accounts.models import Agency
from procedures.calendar import LOCAL_TZ

from ..models import Dossier, StatsMonth, StatsRollup
from ..models.stats import HIST_DAYS, HIST_FIELDS, ROLLUP_FIELDS
from .cells import raw_parts
from .period import MAX_YEARS, Period, local_today

CELL_SETS = [("agency", "procedure", "month"), ("agency", "procedure", "month", "days")]


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


def current_month(today: date | None = None) -> date:
    return (today or local_today()).replace(day=1)


def covered_months(agency_ids, period: Period) -> set[date]:
    """Whole months of the period, closed by its `today`, built and clean for every agency of the scope."""
    candidates = [
        m.start
        for m in period.months()
        if m.start.day == 1 and m.end == month_end(m.start) and m.end < period.today
    ]
    if not candidates or not agency_ids:
        return set()
    rows = (
        StatsMonth.objects.filter(agency_id__in=agency_ids, month__in=candidates, dirty=False)
        .values("month")
        .annotate(n=Count("id"))
        .filter(n=len(agency_ids))
    )
    return {r["month"] for r in rows}


def mark_dirty(dossier: Dossier) -> int:
    """Mark the closed months a dossier belongs to (receipt to finish, or to now) for rebuilding.

    Cheap: nothing to do for a dossier received this month; otherwise one indexed UPDATE in the caller's
    transaction."""
    if dossier.received_at is None or not dossier.competent_agency_id:
        return 0
    current = current_month(timezone.now().astimezone(LOCAL_TZ).date())
    first = dossier.received_at.astimezone(LOCAL_TZ).date().replace(day=1)
    if first >= current:
        return 0
    end = dossier.finished_at or dossier.resolved_at
    last = min(end.astimezone(LOCAL_TZ).date().replace(day=1), current) if end else current
    return StatsMonth.objects.filter(
        agency_id=dossier.competent_agency_id, month__gte=first, month__lte=last
    ).update(dirty=True)


def _runs(months: list[date]) -> list[list[date]]:
    """Consecutive months grouped: each run is computed in one scan."""
    runs: list[list[date]] = []
    for m in sorted(set(months)):
        if runs and next_month(runs[-1][-1]) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def recount(agency_ids, months: list[date]) -> dict[tuple[int, int, date], dict]:
    """Rollup values per (agency, procedure, month) recounted from raw dossiers, a scan per run of months."""
    cells: dict[tuple[int, int, date], dict] = {}
    hists: dict[tuple[int, int, date], dict[int, int]] = defaultdict(dict)
    today = local_today()
    for run in _runs(months):
        period = Period(run[0], month_end(run[-1]), max(today, month_end(run[-1]) + timedelta(days=1)))
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


def build_months(months: list[date], agency_ids=None) -> int:
    """(Re)build the rollups of closed months for some agencies (all by default); returns the rows written.

    Each run of months is one transaction holding the (agency, month) row locks while it counts, so a change
    committed meanwhile either is counted or marks the month dirty again."""
    ids = sorted(agency_ids) if agency_ids is not None else list(Agency.objects.values_list("id", flat=True))
    closed = current_month()
    written = 0
    for run in _runs([m.replace(day=1) for m in months if m.replace(day=1) < closed]):
        with transaction.atomic():
            now = timezone.now()
            StatsMonth.objects.bulk_create(
                [StatsMonth(agency_id=a, month=m, built_at=now) for a in ids for m in run],
                ignore_conflicts=True,
            )
            list(
                StatsMonth.objects.select_for_update()
                .filter(agency_id__in=ids, month__in=run)
                .order_by("agency_id", "month")
                .values_list("id", flat=True)
            )
            cells = recount(ids, run)
            StatsRollup.objects.filter(agency_id__in=ids, month__in=run).delete()
            StatsRollup.objects.bulk_create(
                [
                    StatsRollup(agency_id=a, procedure_id=p, month=m, **part)
                    for (a, p, m), part in cells.items()
                ],
                batch_size=2000,
            )
            StatsMonth.objects.filter(agency_id__in=ids, month__in=run).update(dirty=False, built_at=now)
            written += len(cells)
    return written


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
    """The nightly job: build closed months missing for some agency, then rebuild the dirty ones."""
    months = closed_months_with_data(today)
    n_agencies = Agency.objects.count()
    built = dict(
        StatsMonth.objects.filter(month__in=months).values_list("month").annotate(n=Count("id")).order_by()
    )
    missing = [m for m in months if built.get(m, 0) < n_agencies]
    rows = build_months(missing) if missing else 0
    dirty: dict[date, set[int]] = defaultdict(set)
    for agency_id, month in StatsMonth.objects.filter(dirty=True).values_list("agency_id", "month"):
        dirty[month].add(agency_id)
    for month, ids in sorted(dirty.items()):
        rows += build_months([month], ids)
    return {"missing_months": len(missing), "dirty_months": len(dirty), "rows": rows}


def stored(agency_ids, months: list[date]) -> dict[tuple[int, int, date], dict]:
    out = {}
    for r in StatsRollup.objects.filter(agency_id__in=agency_ids, month__in=months).values(
        "agency_id", "procedure_id", "month", "hist", *ROLLUP_FIELDS
    ):
        key = (r.pop("agency_id"), r.pop("procedure_id"), r.pop("month"))
        out[key] = r
    return out


def differences(agency_ids, months: list[date]) -> list[tuple[tuple[int, int, date], str, object, object]]:
    """(cell, field, stored, recounted) for every value where the rollups differ from a recount."""
    if not months or not agency_ids:
        return []
    fresh, kept = recount(agency_ids, months), stored(agency_ids, months)
    zero = {**dict.fromkeys(ROLLUP_FIELDS, 0), "hist": []}
    out = []
    for key in sorted(set(fresh) | set(kept)):
        a, b = kept.get(key, zero), fresh.get(key, zero)
        for f in (*ROLLUP_FIELDS, "hist"):
            if a[f] != b[f]:
                out.append((key, f, a[f], b[f]))
    return out


def analyze() -> None:
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {StatsRollup._meta.db_table}; ANALYZE {StatsMonth._meta.db_table}")
