"""Generated dossiers of three wards over fifteen months for the rollup tests (fixture `province_data`)."""

import random
from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from dossiers.models import Dossier, Status
from dossiers.reporting import Period, aggregate
from dossiers.reporting import indicators as ind
from dossiers.reporting.scope import Scope
from dossiers.reporting.tables import build_many
from procedures.calendar import LOCAL_TZ as TZ
from tests import factories

NOW = datetime(2026, 2, 10, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
FINAL = (Status.RETURNED, Status.RESOLVED, Status.WITHDRAWN, Status.REFUSED, Status.STOPPED)
OPEN = (Status.PROCESSING, Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT)
PERIODS = {
    "year 2025": Period(date(2025, 1, 1), date(2025, 12, 31), TODAY),
    "quarter 2": Period(date(2025, 4, 1), date(2025, 6, 30), TODAY),
    "quarter 4 with January": Period(date(2025, 10, 1), date(2026, 1, 31), TODAY),
    "partial months at both ends": Period(date(2025, 3, 15), date(2025, 8, 10), TODAY),
    "this year (January closed, February open)": Period(date(2026, 1, 1), date(2026, 12, 31), TODAY),
    "one closed month": Period(date(2025, 11, 1), date(2025, 11, 30), TODAY),
    "year judged in December": Period(date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31)),
}
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))
DIMENSIONS = ("summary", "agency", "procedure", "sector", "month")


def _at(day: date, rnd: random.Random) -> datetime:
    return datetime.combine(day, time(rnd.randrange(24), rnd.randrange(60)), tzinfo=TZ)


def generate(wards, procedures, n: int, seed: int = 766) -> None:
    """Random but consistent dossiers: received ≤ paid ≤ resolved ≤ finished ≤ now."""
    rnd = random.Random(seed)
    first, days = date(2024, 11, 1), (TODAY - date(2024, 11, 1)).days
    rows = []
    for i in range(n):
        received = _at(first + timedelta(days=rnd.randrange(days)), rnd)
        due = datetime.combine(received.date() + timedelta(days=rnd.randrange(15)), time(17), tzinfo=TZ)
        long = rnd.random() < 0.05  # some beyond the histogram's day columns
        finished = received + timedelta(hours=rnd.randrange(24 * (90 if long else 25)))
        status = rnd.choice(FINAL) if finished < NOW and rnd.random() < 0.85 else rnd.choice(OPEN)
        if status in OPEN:
            finished = None
        resolved = finished - timedelta(hours=rnd.randrange(48)) if status in FINAL[:2] else None
        if resolved is not None and resolved < received:
            resolved = received
        paid = received + timedelta(hours=1) if rnd.random() < 0.3 and (finished or NOW) > received else None
        # Refused at intake: as the service leaves it (never received, no payment), or with a receipt time
        # as bulk loads write it; both count by the day of refusal and never as received.
        refused_unreceived = status == Status.REFUSED and rnd.random() < 0.5
        if status == Status.REFUSED:
            paid = None
        rows.append(
            Dossier(
                code=f"R{seed}-{i:05d}",
                procedure=rnd.choice(procedures),
                receiving_agency=(ward := rnd.choice(wards)),
                competent_agency=ward,
                applicant_name="Trần Thị Bình",
                applicant_id_number="001190012345",
                status=status,
                channel=rnd.choice(("online", "counter", "post")),
                received_at=None if refused_unreceived else received,
                clock_started_at=None if refused_unreceived else received,
                due_at=due,
                legal_due_at=due,
                original_due_at=due,
                finished_at=finished,
                resolved_at=resolved,
                supplement_count=rnd.choice((0, 0, 0, 1, 2)),
                apology_count=int(rnd.random() < 0.05),
                paused_working_days=rnd.choice((0, 0, 1, 2)),
                paid_at=paid if paid and (finished is None or paid <= finished) else None,
                paid_online=rnd.random() < 0.5,
                is_digitised=rnd.random() < 0.8,
                reuses_data=rnd.random() < 0.5,
                e_result_status="done" if resolved and rnd.random() < 0.8 else "",
                satisfaction=rnd.choice(("", "very_satisfied", "satisfied", "dissatisfied"))
                if resolved
                else "",
                tracking_pin="123456",
            )
        )
    Dossier.objects.bulk_create(rows)


@pytest.fixture
def province_data(province):
    with time_machine.travel(NOW, tick=False):
        wards = [factories.agency(parent=province) for _ in range(3)]
        sectors = [factories.sector("hotich", "Hộ tịch"), factories.sector("chungthuc", "Chứng thực")]
        procedures = [factories.procedure(days=d, sector=sectors[d % 2]) for d in (0, 1, 3, 5)]
        generate(wards, procedures, 900)
        yield {province.id, *(w.id for w in wards)}, wards


def report(ids, period) -> dict:
    tables = build_many(
        ["summary", "by-agency", "by-procedure", "by-sector", "indicators"],
        Scope(frozenset(ids), frozenset(ids)),
        period,
    )
    out = {by: aggregate(ids, period, by) for by in DIMENSIONS}
    out["tables"] = {name: t.rows for name, t in tables.items()}
    out["indicators"] = ind.indicators(ids, period)
    return out
