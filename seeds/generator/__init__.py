"""Bulk generator of realistic dossiers, with their steps and events, written by PostgreSQL COPY.

Deterministic for a given seed, catalogue, agencies and end time. Receipts fall on working days in office
hours; due dates come from dossiers.deadlines; codes follow `{agency code}-{yyMMdd}-{NNNN}` continuing each
agency's DailySequence, which is raised to the highest number used so later intakes never collide.
Modules: catalogue (reference data), clock (int time and tabulated deadlines), sampling (one dossier),
rows (binary COPY rows), copy (ids, COPY, indexes).
"""

from __future__ import annotations

import random
import time as _time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.utils import timezone

from dossiers.models import DailySequence
from procedures.calendar import local
from seeds.generator.catalogue import Proc, ensure_agencies, ensure_procedures, person
from seeds.generator.clock import Clock, from_datetime
from seeds.generator.copy import Encoder, Writer, rebuild_pays_off, secondary_indexes_dropped
from seeds.generator.rows import EventRows
from seeds.generator.sampling import Builder, Rng, office_time

__all__ = ["Options", "Result", "ensure_agencies", "ensure_procedures", "generate", "person"]

MAX_PER_AGENCY_DAY = 9999


@dataclass
class Options:
    count: int
    agencies: int | None = None
    seed: int = 1
    open_share: float = 0.05
    late_share: float = 0.01
    online_share: float = 0.60
    days: int = 365
    end: datetime | None = None
    batch: int = 25_000
    rebuild_indexes_from: int = 50_000  # rebuild indexes after loads this large (and as large as the table)
    skip_triggers: bool = True  # superusers load without per-row foreign-key triggers


@dataclass
class Result:
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return self.dossiers + self.steps + self.events

    @property
    def rows_per_second(self) -> float:
        return self.rows / max(self.seconds, 1e-9)


@dataclass
class _Plan:
    """Who receives what, when: the run's working days, agencies and procedures with their weights."""

    days: list[int]
    agencies: list[tuple[int, str]]
    agency_weights: list[float]
    procs: list[Proc]
    proc_weights: list[float]
    finished_per_day: Counter
    open_per_day: dict[int, list[Proc]]
    sequences: dict[tuple[int, date], int]


def _plan(opts: Options, rng: random.Random, clock: Clock, last_day: date) -> _Plan:
    agencies = ensure_agencies(opts.agencies)
    procs = ensure_procedures()
    days = clock.working_days((last_day - timedelta(days=opts.days)).toordinal(), last_day.toordinal())
    if not days or not agencies or not procs:
        raise ValueError("no working day, agency or procedure to generate dossiers for")
    if opts.count / (len(days) * len(agencies)) > MAX_PER_AGENCY_DAY * 0.8:
        raise ValueError("too many dossiers per agency and day for 4-digit codes: add --agencies or --days")
    agency_weights = list(accumulate(rng.uniform(0.4, 2.0) for _ in agencies))
    day_weights = [
        1.25 if d % 7 == 1 else (0.5 if d % 7 in (6, 0) else 1.0) for d in days
    ]  # ordinal%7: 1=Mon
    n_open = round(opts.count * opts.open_share)
    finished_per_day = Counter(rng.choices(range(len(days)), day_weights, k=opts.count - n_open))
    # Open dossiers are recent: received within the procedure's time (a few are already overdue).
    open_per_day: dict[int, list[Proc]] = {}
    open_procs = [p for p in procs if p.days > 0] or procs
    for proc in rng.choices(open_procs, [p.weight for p in open_procs], k=n_open):
        back = (
            rng.randrange(1, 20) + proc.days if rng.random() < 0.02 else rng.randrange(0, max(proc.days, 1))
        )
        open_per_day.setdefault(max(len(days) - 1 - back, 0), []).append(proc)
    sequences = {
        (a, d): last
        for a, d, last in DailySequence.objects.filter(
            agency_id__in=[a[0] for a in agencies], day__gte=date.fromordinal(days[0])
        ).values_list("agency_id", "day", "last")
    }
    proc_weights = list(accumulate(p.weight for p in procs))
    return _Plan(
        days, agencies, agency_weights, procs, proc_weights, finished_per_day, open_per_day, sequences
    )


def generate(opts: Options, progress: Callable[[Result, int], None] | None = None) -> Result:
    """Generate opts.count dossiers received in the opts.days before opts.end (default: now)."""
    started = _time.perf_counter()
    rng = Rng(opts.seed)
    end = local(opts.end or timezone.now())
    last_day = end.date() - timedelta(days=1)
    clock = Clock(last_day - timedelta(days=opts.days + 7), end.date() + timedelta(days=400))
    plan = _plan(opts, rng, clock, last_day)
    events = EventRows()
    builder = Builder(rng, from_datetime(end), clock, events, opts.online_share)
    result = Result()
    with secondary_indexes_dropped(rebuild_pays_off(opts.count, opts.rebuild_indexes_from)):
        writer = Writer(Encoder(events), opts.skip_triggers)
        try:
            for batch in _batches(plan, builder, opts, result):
                n_dossiers, n_steps, n_events = writer.add(batch)
                result.dossiers += n_dossiers
                result.steps += n_steps
                result.events += n_events
                result.seconds = _time.perf_counter() - started
                if progress:
                    progress(result, opts.count)
        finally:
            writer.close()
    result.seconds = _time.perf_counter() - started
    return result


def _batches(plan: _Plan, builder: Builder, opts: Options, result: Result):
    """Built dossiers day by day, in batches of at least opts.batch, numbered in order of receipt."""
    rng, agencies, batch = builder.rng, plan.agencies, []
    for index, day in enumerate(plan.days):
        n = plan.finished_per_day.get(index, 0)
        todo = [(p, False) for p in rng.choices(plan.procs, cum_weights=plan.proc_weights, k=n)]
        todo += [(p, True) for p in plan.open_per_day.get(index, [])]
        receivers = rng.choices(agencies, cum_weights=plan.agency_weights, k=len(todo))
        arrivals = []
        for (proc, is_open), agency in zip(todo, receivers, strict=True):
            competent = agency if rng.random() < 0.95 or len(agencies) == 1 else rng.choice(agencies)
            arrivals.append((agency, office_time(rng, day), proc, competent, is_open))
        arrivals.sort(key=lambda a: (a[0][0], a[1]))
        yymmdd = f"{date.fromordinal(day):%y%m%d}"
        the_day = date.fromordinal(day)
        for agency, received, proc, competent, is_open in arrivals:
            late = not is_open and rng.random() < opts.late_share
            d, steps, events, status = builder.build(proc, agency[0], competent[0], received, is_open, late)
            key = (agency[0], the_day)
            number = plan.sequences.get(key, 0) + 1
            plan.sequences[key] = number
            d["code"] = f"{agency[1]}-{yymmdd}-{number:04d}"
            batch.append((d, steps, events, proc, (agency[0], the_day, number)))
            result.statuses[status] += 1
        if len(batch) >= opts.batch:
            yield batch
            batch = []
    if batch:
        yield batch
