"""Demo queue for the demo wards: three service areas, three counters, a few past days of tickets driven
through the real services at their moments (so the supervisor's report has figures), and a few waiting now.

Called by seeds.demo_dossiers.seed_demo_dossiers. Idempotent: a ward that has service areas is left alone.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Role, User
from dossiers.models import Counter, ServiceArea
from dossiers.queueing import services
from procedures.calendar import LOCAL_TZ, calendar, local
from procedures.models import Sector

# (letter, name, sector codes of procedures.csv)
AREAS = [
    ("A", "Hộ tịch, nuôi con nuôi", ["hotich", "nuoiconnuoi"]),
    ("B", "Chứng thực", ["chungthuc"]),
    ("C", "Đất đai, xây dựng, kinh doanh và lĩnh vực khác", ["datdai", "xaydung", "kinhdoanh", "cutru"]),
]
# counter number -> letters of the areas it serves
COUNTERS = {1: "A", 2: "B", 3: "ABC"}
PAST_DAYS = 5  # working days of history
PER_DAY = 18
WAITING_NOW = 4
SEED = 1600


def _areas_and_counters(agency: Agency) -> dict[int, Counter]:
    sectors = {s.code: s for s in Sector.objects.all()}
    areas = {}
    for order, (letter, name, codes) in enumerate(AREAS, start=1):
        area = ServiceArea.objects.create(agency=agency, name=name, letter=letter, order=order)
        area.sectors.set([sectors[c] for c in codes if c in sectors])
        areas[letter] = area
    counters = {}
    for number, letters in COUNTERS.items():
        counter = Counter.objects.create(agency=agency, number=number)
        counter.areas.set([areas[x] for x in letters])
        counters[number] = counter
    return counters


def _past_days(today: date) -> list[date]:
    days, d = [], today - timedelta(days=1)
    while len(days) < PAST_DAYS:
        if calendar.is_working_day(d):
            days.append(d)
        d -= timedelta(days=1)
    return sorted(days)


def _one_day(rng: random.Random, agency: Agency, clerks: list[User], counters: dict[int, Counter], day: date):
    """Tickets issued through the morning, each called by the counter free first that serves its area."""
    opening = datetime.combine(day, time(7, 30), tzinfo=LOCAL_TZ)
    areas = {a.letter: a for a in ServiceArea.objects.filter(agency=agency)}
    issued = []
    at = opening
    for _ in range(PER_DAY):
        at += timedelta(minutes=rng.randint(3, 15))
        letter = rng.choices("ABC", weights=[5, 3, 2])[0]
        issued.append((letter, services.issue_ticket(areas[letter], at=at)))
    free_at = {n: opening for n in counters}
    for letter, ticket in issued:
        number = min((n for n, letters in COUNTERS.items() if letter in letters), key=lambda n: free_at[n])
        counter, clerk = counters[number], clerks[(number - 1) % len(clerks)]
        called = max(ticket.issued_at + timedelta(minutes=rng.randint(1, 4)), free_at[number])
        services.call_next(counter, clerk, at=called)
        if rng.random() < 0.08:
            services.mark_no_show(counter, clerk, at=called + timedelta(minutes=3))
            free_at[number] = called + timedelta(minutes=3)
            continue
        started = called + timedelta(minutes=rng.randint(1, 3))
        services.start_service(counter, clerk, at=started)
        finished = started + timedelta(minutes=rng.randint(4, 18))
        services.finish(counter, clerk, at=finished)
        free_at[number] = finished


def seed_demo_tickets(wards: list[Agency], stdout) -> None:
    now = timezone.now()
    rng = random.Random(SEED)
    made = 0
    for agency in wards:
        if ServiceArea.objects.filter(agency=agency).exists():
            continue
        clerks = list(
            User.objects.filter(memberships__agency=agency, memberships__role=Role.CLERK).order_by("username")
        )
        with transaction.atomic():
            counters = _areas_and_counters(agency)
            if clerks:
                for day in _past_days(local(now).date()):
                    _one_day(rng, agency, clerks, counters, day)
            first = ServiceArea.objects.filter(agency=agency).order_by("order").first()
            for minutes in range(WAITING_NOW, 0, -1):
                services.issue_ticket(first, at=now - timedelta(minutes=minutes))
        made += 1
    if made:
        stdout.write(f"Số thứ tự mẫu: khu vực, quầy và số của {PAST_DAYS} ngày làm việc tại {made} phường.")
