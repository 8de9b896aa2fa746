"""Dashboard queries at province scale: a year of one province's dossiers, generated with COPY, each timed.

Full run: 1,000,000 dossiers received over the 365 days before today in 100 wards (a province-year); those
not finished by now are open. small=True: 20,000 dossiers in 10 wards, inside the caller's transaction (the
test suite). After loading, the rollups are built (closed months, then the current month judged at today:
what `manage.py build_stats_rollups` and the every-minute task do); each query is timed from the rollups
(`ms`) and from raw dossiers (`raw_ms`, every month marked dirty), and `same` says both gave the same result.
"5 wards changed" marks five wards' current month stale, as changes in the last minute do: those five are
counted raw and mixed in. The data belong to a `BENCH` province and are deleted at the end of a full run
(BENCH_KEEP=1 keeps them, and a rerun reuses them, for EXPLAIN sessions).
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.bench.common import Stopwatch, copy_dossiers, print_table, received_and_due, setup_django

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE_CODE = "999.00.00.H99"  # a range no real agency uses
COLUMNS = ["query", "scope", "rows", "ms", "raw_ms", "speedup", "x_target", "same"]
TARGET_MS = 300.0


def _catalogue(wards: int):
    from accounts.models import Agency
    from procedures.models import Procedure, Sector

    province, _ = Agency.objects.get_or_create(
        code=PROVINCE_CODE,
        defaults={"name": "Tỉnh Đo Tải", "level": Agency.Level.PROVINCE, "province_code": "99"},
    )
    ward_ids = []
    for i in range(wards):
        ward, _ = Agency.objects.get_or_create(
            code=f"999.{i // 100 + 1:02d}.{i % 100:02d}.H99",
            defaults={
                "name": f"Phường Đo Tải {i + 1}",
                "level": Agency.Level.COMMUNE,
                "parent": province,
                "province_code": "99",
                "ward_code": f"9{i:04d}",
            },
        )
        ward_ids.append(ward.id)
    procedures = []
    for s in range(5):
        sector, _ = Sector.objects.get_or_create(code=f"bench-{s}", defaults={"name": f"Lĩnh vực đo tải {s}"})
        for p in range(8):
            days = (0, 1, 2, 3, 5, 7, 10, 15)[p]
            proc, _ = Procedure.objects.get_or_create(
                code=f"99.{s}{p:04d}",
                defaults={
                    "name": f"Thủ tục đo tải {s}.{p}",
                    "sector": sector,
                    "legal_days": days,
                    "online_level": ("full", "partial")[p % 2],
                },
            )
            procedures.append((proc.id, days))
    return province, ward_ids, procedures


def _rows(n: int, ward_ids: list[int], procedures: list[tuple[int, int]], seed: int = 766):
    rnd = random.Random(seed)
    first = _today() - timedelta(days=365)
    workdays = [first + timedelta(days=i) for i in range(365) if (first + timedelta(days=i)).weekday() < 5]
    end = datetime.now(TZ)
    weights = [1.0 / (i + 1) for i in range(len(procedures))]
    picks = rnd.choices(procedures, weights=weights, k=n)
    # In receipt order, as a live table grows: a month's dossiers sit together on disk.
    day_of = sorted(rnd.randrange(len(workdays)) for _ in range(n))
    for i in range(n):
        proc_id, days = picks[i]
        ward = ward_ids[i % len(ward_ids)]
        day = workdays[day_of[i]]
        received = datetime.combine(day, time(7 + rnd.randrange(10), rnd.randrange(60)), tzinfo=TZ)
        due = datetime.combine(
            day + timedelta(days=max(days, 0) + (2 if day.weekday() + days >= 5 else 0)),
            time(17, 0),
            tzinfo=TZ,
        )
        r = rnd.random()
        supplements = 2 if r < 0.003 else (1 if r < 0.05 else 0)
        late = rnd.random() < 0.01
        finished = (
            received + (due - received) * rnd.random()
            if not late
            else due + timedelta(days=rnd.randint(1, 9))
        )
        fate = rnd.random()
        status = (
            "withdrawn"
            if fate < 0.08
            else "refused"
            if fate < 0.09
            else "stopped"
            if fate < 0.095
            else "returned"
        )
        if finished > end:
            status, finished = ("processing" if rnd.random() < 0.9 else "supplement_requested"), None
        resolved = finished if status == "returned" else None
        paid = received + timedelta(hours=1) if rnd.random() < 0.3 else None
        yield {
            "code": f"BENCH-{i:08d}",
            "applicant_name": "Nguyễn Văn Tải",
            "applicant_phone": "0912345678",
            "applicant_address": "Hải Phòng",
            "subject": "Đo tải",
            "channel": "online" if rnd.random() < 0.82 else "counter",
            "status": status,
            **received_and_due(received, due),
            "resolved_at": resolved,
            "returned_at": resolved,
            "finished_at": finished,
            "outcome": "approved" if resolved else "",
            "supplement_count": supplements,
            "apology_count": 1 if rnd.random() < 0.002 else 0,
            "paid_at": paid,
            "paid_online": bool(paid) and rnd.random() < 0.7,
            "e_result_status": "done" if resolved and rnd.random() < 0.95 else "",
            "is_digitised": rnd.random() < 0.95,
            "reuses_data": rnd.random() < 0.7,
            "satisfaction": rnd.choice(("very_satisfied", "satisfied", "satisfied", "not_satisfied"))
            if resolved and rnd.random() < 0.2
            else "",
            "competent_agency_id": ward,
            "receiving_agency_id": ward,
            "procedure_id": proc_id,
        }


def generate(n: int, wards: int) -> tuple[object, list[int]]:
    """Create the bench province (reusing it when it already holds n dossiers) and COPY n dossiers into it."""
    from django.db import connection

    from dossiers.models import Dossier

    province, ward_ids, procedures = _catalogue(wards)
    existing = Dossier.objects.filter(competent_agency_id__in=ward_ids).count()
    if existing != n:
        Dossier.objects.filter(competent_agency_id__in=ward_ids).delete()
        copy_dossiers(_rows(n, ward_ids, procedures))
    with connection.cursor() as cur:
        if connection.in_atomic_block:
            cur.execute(f"ANALYZE {Dossier._meta.db_table}")
        else:
            cur.execute(f"VACUUM ANALYZE {Dossier._meta.db_table}")
    return province, ward_ids


def _delete_dossiers(ward_ids: list[int]) -> None:
    """One set-based DELETE: the bench writes no steps, events or documents, so nothing cascades."""
    from django.db import connection

    from dossiers.models import Dossier

    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {Dossier._meta.db_table} WHERE competent_agency_id = ANY(%s)", [ward_ids])


def cleanup(ward_ids: list[int]) -> None:
    from accounts.models import Agency
    from procedures.models import Procedure, Sector

    _delete_dossiers(ward_ids)
    Agency.objects.filter(id__in=ward_ids).delete()
    Agency.objects.filter(code=PROVINCE_CODE).delete()
    Procedure.objects.filter(code__startswith="99.").filter(sector__code__startswith="bench-").delete()
    Sector.objects.filter(code__startswith="bench-").delete()


def _time(fn, repeat: int) -> tuple[float, object]:
    fn()  # warm: calendar tables, plan cache, buffers
    best, result = float("inf"), None
    for _ in range(repeat):
        with Stopwatch() as sw:
            result = fn()
        best = min(best, sw.seconds)
    return best * 1000, result


def _time_once(fn) -> tuple[float, object]:
    """The raw path runs for seconds at full size: one cold run."""
    with Stopwatch() as sw:
        result = fn()
    return sw.seconds * 1000, result


def _today() -> date:
    return datetime.now(TZ).date()


def build_rollups(agency_ids) -> tuple[int, float]:
    """What `manage.py build_stats_rollups` and the current-month task do, for the bench agencies only."""
    from dossiers.reporting import rollup

    first = _today() - timedelta(days=365)
    months, m = [], first.replace(day=1)
    while m < _today().replace(day=1):
        months.append(m)
        m = rollup.next_month(m)
    with Stopwatch() as sw:
        rows = rollup.build_months(months, agency_ids)
        rows += rollup.build_current(agency_ids)
        if not small_mode():
            rollup.analyze()
    return rows, sw.seconds


_SMALL = []


def small_mode() -> bool:
    return bool(_SMALL)


def _raw_path(agency_ids, dirty: bool) -> None:
    """Mark the bench months dirty (the report then reads raw dossiers) or clean again."""
    from dossiers.models import StatsMonth

    StatsMonth.objects.filter(agency_id__in=agency_ids).update(dirty=dirty)


def _stale(agency_ids, stale: bool) -> None:
    """Mark some agencies' current month stale (changed since its rebuild), or fresh again."""
    from dossiers.models import StatsMonth

    StatsMonth.objects.filter(agency_id__in=agency_ids, month=_today().replace(day=1)).update(dirty=stale)


def _with_stale(agency_ids, fn):
    def run():
        _stale(agency_ids, True)
        try:
            return fn()
        finally:
            _stale(agency_ids, False)

    return run


def main(small: bool = False) -> list[dict]:
    setup_django()
    from dossiers.reporting import Period, Scope, bucket_ids, preset_period
    from dossiers.reporting import indicators as ind
    from dossiers.reporting.report import aggregate
    from dossiers.reporting.rollup import next_month as rollup_next
    from dossiers.reporting.tables import build_many

    _SMALL[:] = [True] if small else []
    n, wards, repeat = (20_000, 10, 1) if small else (1_000_000, 100, 2)
    with Stopwatch() as gen:
        province, ward_ids = generate(n, wards)
    print(f"generated/checked {n:,} dossiers in {len(ward_ids)} wards in {gen.seconds:.1f} s")
    everything = set(ward_ids) | {province.id}
    rollup_rows, build_s = build_rollups(everything)
    print(f"built {rollup_rows:,} rollup rows (closed months and the current one) in {build_s:.1f} s")
    today = _today()
    this_month = today.replace(day=1)
    year = preset_period("year", today)  # this year: closed months and the current one from rollups
    quarter = preset_period("quarter", today)
    month = preset_period("month", today)
    # Every whole closed month of the window (its first month is partial).
    closed = Period(
        rollup_next((today - timedelta(days=365)).replace(day=1)), this_month - timedelta(days=1), today
    )
    province_scope = Scope(frozenset(everything), frozenset(everything))
    ward = {ward_ids[0]}
    changed = ward_ids[:5]
    dashboard = ("summary", "by-month", "by-agency", "by-procedure", "by-sector", "indicators")
    cases = [
        ("whole dashboard", "province-year", lambda: build_many(dashboard, province_scope, year)),
        (
            "whole dashboard",
            "province-year, 5 wards changed",
            _with_stale(changed, lambda: build_many(dashboard, province_scope, year)),
        ),
        ("whole dashboard", "province-quarter", lambda: build_many(dashboard, province_scope, quarter)),
        ("whole dashboard", "province-month", lambda: build_many(dashboard, province_scope, month)),
        ("whole dashboard", "province-closed-months", lambda: build_many(dashboard, province_scope, closed)),
        (
            "whole dashboard",
            "ward-year",
            lambda: build_many(dashboard, Scope(frozenset(ward), frozenset(ward)), year),
        ),
    ]
    for label, period in (
        ("province-year", year),
        ("province-quarter", quarter),
        ("province-month", month),
        ("province-closed-months", closed),
    ):
        cases += [
            ("summary", label, lambda p=period: aggregate(everything, p, "summary")),
            ("by-agency", label, lambda p=period: aggregate(everything, p, "agency")),
            ("by-procedure", label, lambda p=period: aggregate(everything, p, "procedure")),
            ("by-sector", label, lambda p=period: aggregate(everything, p, "sector")),
            ("by-month", label, lambda p=period: aggregate(everything, p, "month")),
            ("indicators", label, lambda p=period: ind.indicators(everything, p)),
        ]
    cases += [
        (
            "by-agency",
            "province-year, 5 wards changed",
            _with_stale(changed, lambda: aggregate(everything, year, "agency")),
        ),
        ("summary", "ward-year", lambda: aggregate(ward, year, "summary")),
        ("by-month", "ward-year", lambda: aggregate(ward, year, "month")),
        ("drill-down overdue p1 (raw)", "province-year", lambda: bucket_ids(everything, year, "overdue")[0]),
    ]
    rows = []
    for name, scope, fn in cases:
        ms, result = _time(fn, repeat)
        _raw_path(everything, dirty=True)
        raw_ms, raw_result = _time_once(fn) if not small else _time(fn, repeat)
        _raw_path(everything, dirty=False)
        rows.append(
            {
                "query": name,
                "scope": scope,
                "rows": len(result),
                "ms": round(ms, 1),
                "raw_ms": round(raw_ms, 1),
                "speedup": round(raw_ms / ms, 1) if ms else None,
                "x_target": round(ms / TARGET_MS, 2),
                "same": result == raw_result,
            }
        )
    print_table(
        f"Dashboard queries, {n:,} dossiers, rollups vs raw (target {TARGET_MS:.0f} ms)", rows, COLUMNS
    )
    if not small and not os.environ.get("BENCH_KEEP"):
        cleanup(ward_ids)
    return rows


if __name__ == "__main__":
    main()
