"""Deadline sweep cost against table size: the same K changes among 10 k and among 1 M open dossiers.

Open dossiers far from due are COPYed in bulk; K of them are due soon or overdue "now". The sweep reads only
the partial indexes over unmarked open rows, so its time should follow K, not the table (target ratio <= 1.5).
"now" is fixed in January 2000 so rows of other data sets in the same database (all due later) never change.
Full run: 10,000 vs 1,000,000 open dossiers, K = 200. small=True: 1,000 vs 5,000, K = 20, inside the caller's
transaction (the test suite). The bench rows are deleted at the end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.bench.common import Stopwatch, copy_dossiers, print_table, received_and_due, setup_django

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2000, 1, 11, 9, 0, tzinfo=TZ)  # a Tuesday
AGENCY_CODE = "998.00.00.H98"  # a range no real agency uses


def _world():
    from accounts.models import Agency, Membership, Role, User
    from procedures.models import Procedure, Sector

    agency, _ = Agency.objects.get_or_create(
        code=AGENCY_CODE,
        defaults={
            "name": "Phường Đo Quét",
            "level": Agency.Level.COMMUNE,
            "province_code": "98",
            "ward_code": "98001",
        },
    )
    sector, _ = Sector.objects.get_or_create(code="sweepbench", defaults={"name": "Đo quét"})
    procedure, _ = Procedure.objects.get_or_create(
        code="98.000001", defaults={"name": "Thủ tục đo quét", "sector": sector, "legal_days": 3}
    )
    handler, _ = User.objects.get_or_create(username="sweepbench-handler", defaults={"email": "h@example.vn"})
    leader, _ = User.objects.get_or_create(username="sweepbench-leader", defaults={"email": "l@example.vn"})
    Membership.objects.get_or_create(user=handler, agency=agency, role=Role.HANDLER)
    Membership.objects.get_or_create(user=leader, agency=agency, role=Role.LEADER)
    return agency, procedure, handler


def _copy(start: int, n: int, agency_id: int, procedure_id: int, due_of, assignee_of) -> None:
    received = NOW - timedelta(days=5)

    def rows():
        for i in range(start, start + n):
            due = due_of(i)
            yield {
                "code": f"SWEEPBENCH-{i:08d}",
                "status": "processing",
                **received_and_due(received, due),
                "competent_agency_id": agency_id,
                "receiving_agency_id": agency_id,
                "procedure_id": procedure_id,
                "assignee_id": assignee_of(i),
            }

    copy_dossiers(rows())


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "ANALYZE dossiers_dossier" if connection.in_atomic_block else "VACUUM ANALYZE dossiers_dossier"
        )


def _reset(changing_ids: list[int]) -> None:
    """Put the K changing rows back to 'not yet noticed' and drop what the previous sweep wrote."""
    from dossiers.models import Dossier, Notification, OutboxMessage

    Dossier.objects.filter(pk__in=changing_ids).update(overdue_at=None, due_soon_notified_at=None)
    Notification.objects.filter(dossier_id__in=changing_ids).delete()
    OutboxMessage.objects.filter(dossier_id__in=changing_ids).delete()


def _time_sweep(changing_ids: list[int], k: int, repeat: int) -> tuple[float, dict]:
    from dossiers.lifecycle.sweeps import sweep_deadlines

    best, counts = float("inf"), {}
    for _ in range(repeat):
        _reset(changing_ids)
        with Stopwatch() as sw:
            counts = sweep_deadlines(now=NOW)
        best = min(best, sw.seconds)
    assert counts["overdue_dossiers"] + counts["due_soon_dossiers"] >= k, counts
    return best * 1000, counts


def _cleanup(agency_id: int) -> None:
    from django.db import connection

    from dossiers.models import Dossier, Notification, OutboxMessage

    ids = Dossier.objects.filter(competent_agency_id=agency_id).values("id")
    OutboxMessage.objects.filter(dossier_id__in=ids).delete()
    Notification.objects.filter(dossier_id__in=ids).delete()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM dossiers_dossierstep WHERE agency_id = %s", [agency_id])
        cur.execute("DELETE FROM dossiers_dossier WHERE competent_agency_id = %s", [agency_id])


def main(small: bool = False) -> list[dict]:
    setup_django()
    from dossiers.models import Dossier

    sizes, k, repeat = ((1_000, 5_000), 20, 2) if small else ((10_000, 1_000_000), 200, 3)
    agency, procedure, handler = _world()
    _cleanup(agency.id)
    far = NOW + timedelta(days=400)

    def due_of(i: int) -> datetime:
        if i < k // 2:
            return NOW - timedelta(days=1)  # overdue
        if i < k:
            return NOW + timedelta(hours=20)  # due within one working day
        return far + timedelta(minutes=i % 100_000)  # far from due

    def assignee_of(i: int):
        return handler.id if i < k else None

    rows, loaded = [], 0
    try:
        for size in sizes:
            with Stopwatch() as gen:
                _copy(loaded, size - loaded, agency.id, procedure.id, due_of, assignee_of)
                _analyze()
            loaded = size
            changing = list(
                Dossier.objects.filter(code__lt=f"SWEEPBENCH-{k:08d}", competent_agency=agency).values_list(
                    "id", flat=True
                )
            )
            ms, counts = _time_sweep(changing, k, repeat)
            rows.append(
                {
                    "open_dossiers": size,
                    "changes": k,
                    "sweep_ms": ms,
                    "load_s": gen.seconds,
                    "overdue": counts["overdue_dossiers"],
                    "due_soon": counts["due_soon_dossiers"],
                }
            )
        base = rows[0]["sweep_ms"]
        for row in rows:
            row["ratio"] = row["sweep_ms"] / base if base else float("nan")
        print_table(
            f"Deadline sweep, {k} changes (target: ratio <= 1.5)",
            rows,
            ["open_dossiers", "changes", "overdue", "due_soon", "sweep_ms", "ratio", "load_s"],
        )
    finally:
        _cleanup(agency.id)
    return rows


if __name__ == "__main__":
    main()
