"""The deadline predicates on one table of dated cases, through every form they take: the test of one row
(serializer, pages), the Q (desk tabs, API filter, digest), the sweeps' raw SQL (their markers) and the
766 report's SQL ("in progress, late"). Each case states which rules hold; every form must agree.

Rules (dossiers.lifecycle.predicates): past_appointment and appointment_due_soon judge due_at, the
appointment the citizen holds; past_legal_due judges legal_due_at at the instant; late_in_progress judges
the legal due by calendar date on the day of the report; step rules judge a step's own due.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
import time_machine

from dossiers.lifecycle import predicates as p
from dossiers.lifecycle import reminders
from dossiers.lifecycle.sweeps import (
    mark_due_soon_dossiers,
    mark_due_soon_steps,
    mark_overdue_dossiers,
    mark_overdue_steps,
)
from dossiers.models import Dossier, DossierStep, Notification, Status
from dossiers.reporting import Period, bucket_ids
from procedures.calendar import local
from tests import factories
from tests.dossiers.lifecycle import vn

pytestmark = pytest.mark.django_db

PAST_APPOINTMENT, DUE_SOON, PAST_LEGAL, LATE = (
    "past_appointment",
    "appointment_due_soon",
    "past_legal_due",
    "late_in_progress",
)


def at(text: str) -> datetime:
    """Local 'MM-DD HH:MM' in 2026."""
    return vn(2026, *(int(x) for x in text.replace("-", " ").replace(":", " ").split()))


@dataclass(frozen=True)
class Case:
    name: str
    now: str
    due: str | None  # the appointment (due_at)
    legal: str | None = "same"  # the legal due; "same" as the appointment
    holds: frozenset = frozenset()
    status: str = Status.PROCESSING
    fields: dict = field(default_factory=dict)

    @property
    def legal_due(self) -> datetime | None:
        return self.due_at if self.legal == "same" else (at(self.legal) if self.legal else None)

    @property
    def due_at(self) -> datetime | None:
        return at(self.due) if self.due else None


def case(name, now, due, *holds, legal="same", status=Status.PROCESSING, **fields) -> Case:
    return Case(name, now, due, legal, frozenset(holds), status, fields)


# Tuesday 3 March 2026 is an ordinary working day; 6-9 March a weekend between Friday and Monday; Tết 2026
# is 14-22 February; 30 April and 1 May 2026 are Thursday and Friday.
CASES = [
    case("due later this week", "03-03 10:00", "03-05 17:00"),
    case("due at the end of the next working day", "03-03 10:00", "03-04 17:00", DUE_SOON),
    case("due at the end of today", "03-03 10:00", "03-03 17:00", DUE_SOON),
    case("one minute before the end of the office day", "03-03 16:59", "03-03 17:00", DUE_SOON),
    case("at 17:00, the end of the office day", "03-03 17:00", "03-03 17:00", PAST_APPOINTMENT, PAST_LEGAL),
    case(
        "that evening: past, not yet late by date", "03-03 17:05", "03-03 17:00", PAST_APPOINTMENT, PAST_LEGAL
    ),
    case("the next morning: late by date", "03-04 08:00", "03-03 17:00", PAST_APPOINTMENT, PAST_LEGAL, LATE),
    case("Friday: Monday is the next working day", "03-06 10:00", "03-09 17:00", DUE_SOON),
    case("Friday: Tuesday is not", "03-06 10:00", "03-10 17:00"),
    case("Saturday: Monday is the next working day", "03-07 10:00", "03-09 17:00", DUE_SOON),
    case("due Friday, read Monday", "03-09 08:00", "03-06 17:00", PAST_APPOINTMENT, PAST_LEGAL, LATE),
    case("before Tết: the first day after it is next", "02-13 10:00", "02-23 17:00", DUE_SOON),
    case("before Tết: the second day after it is not", "02-13 10:00", "02-24 17:00"),
    case("before 30/4-1/5: Monday 4 May is next", "04-29 10:00", "05-04 17:00", DUE_SOON),
    case(
        "paused for a supplement, past its dates",
        "03-09 10:00",
        "03-05 17:00",
        status=Status.SUPPLEMENT_REQUESTED,
    ),
    case("paused for payment, due soon", "03-03 10:00", "03-04 17:00", status=Status.AWAITING_PAYMENT),
    case(
        "paused after a second supplement request",
        "03-09 10:00",
        "03-20 17:00",
        LATE,
        status=Status.SUPPLEMENT_REQUESTED,
        supplement_count=2,
    ),
    case(
        "apology moved the appointment past the legal due",
        "03-09 10:00",
        "03-12 17:00",
        PAST_LEGAL,
        LATE,
        legal="03-05 17:00",
        apology_count=1,
    ),
    case(
        "apology, new appointment due soon, legal due ahead",
        "03-03 10:00",
        "03-04 17:00",
        DUE_SOON,
        LATE,
        legal="03-20 17:00",
        apology_count=1,
    ),
    case(
        "received at the counter, past due",
        "03-09 10:00",
        "03-05 17:00",
        PAST_APPOINTMENT,
        PAST_LEGAL,
        LATE,
        status=Status.RECEIVED,
    ),
    case("two supplements, dates ahead", "03-03 10:00", "03-20 17:00", LATE, supplement_count=2),
    case("no time limit", "03-03 10:00", None, legal=None),
    case(
        "resolved, past its dates",
        "03-09 10:00",
        "03-05 17:00",
        status=Status.RESOLVED,
        finished_at=at("03-06 10:00"),
    ),
    case(
        "returned, past its dates",
        "03-09 10:00",
        "03-05 17:00",
        status=Status.RETURNED,
        finished_at=at("03-06 10:00"),
    ),
    case(
        "withdrawn, due soon",
        "03-03 10:00",
        "03-04 17:00",
        status=Status.WITHDRAWN,
        finished_at=at("03-03 09:00"),
    ),
]
IDS = [c.name for c in CASES]


@pytest.fixture
def handler_(handler):
    handler.email = "handler@example.gov.vn"
    handler.save()
    return handler


def make(c: Case, procedure, ward, handler) -> Dossier:
    d = factories.dossier(
        procedure=procedure,
        agency=ward,
        status=c.status,
        received_at=at("02-02 09:00"),
        due_at=at("03-31 17:00"),
        assignee=handler,
        **c.fields,
    )
    Dossier.objects.filter(pk=d.pk).update(due_at=c.due_at, legal_due_at=c.legal_due)
    return Dossier.objects.get(pk=d.pk)


def python_rules(d: Dossier, now: datetime) -> set[str]:
    rules = {
        PAST_APPOINTMENT: p.is_past_appointment(d, now),
        DUE_SOON: p.is_appointment_due_soon(d, now),
        PAST_LEGAL: p.is_past_legal_due(d, now),
        LATE: d.status not in (Status.RESOLVED, Status.RETURNED, Status.WITHDRAWN)
        and p.late_in_progress(d, local(now).date()),
    }
    return {name for name, holds in rules.items() if holds}


def test_the_table_covers_every_rule_and_none():
    seen = {rule for c in CASES for rule in c.holds}
    assert seen == {PAST_APPOINTMENT, DUE_SOON, PAST_LEGAL, LATE}
    assert any(not c.holds for c in CASES)


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_the_python_rules(c, settings):
    settings.APOLOGY_COUNTS_AS_LATE = True
    d = Dossier(status=c.status, due_at=c.due_at, legal_due_at=c.legal_due, **c.fields)
    assert python_rules(d, at(c.now)) == set(c.holds)


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_the_querysets(c, birth_registration, ward, handler_):
    d = make(c, birth_registration, ward, handler_)
    now = at(c.now)
    qs = {
        PAST_APPOINTMENT: p.past_appointment(now),
        DUE_SOON: p.appointment_due_soon(now),
        PAST_LEGAL: p.past_legal_due(now),
    }
    got = {name for name, q in qs.items() if Dossier.objects.filter(q, pk=d.pk).exists()}
    assert got == set(c.holds) - {LATE}


@pytest.mark.parametrize("c", CASES, ids=IDS)
def test_the_sweeps(c, birth_registration, ward, handler_):
    d = make(c, birth_registration, ward, handler_)
    now = at(c.now)
    with time_machine.travel(now, tick=False):
        mark_overdue_dossiers(now)
        mark_due_soon_dossiers(now)
    d = Dossier.objects.get(pk=d.pk)
    # No one is told one dossier at a time: the sweeps mark, the handler's reminders follow the rules.
    assert not Notification.objects.filter(user=handler_, dossier=d).exists()
    reminded = {i.kind for i in reminders.items_for([handler_.pk], now)[handler_.pk]}

    assert (d.overdue_at is not None) == (PAST_LEGAL in c.holds)
    # The due-soon sweep marks every row due by the window (those already past too).
    assert (d.due_soon_notified_at is not None) == bool({DUE_SOON, PAST_APPOINTMENT} & c.holds)
    rules = (("overdue", PAST_APPOINTMENT), ("due_soon", DUE_SOON))
    assert reminded == {k for k, rule in rules if rule in c.holds}


@pytest.mark.parametrize("apology_late", [True, False], ids=["apology_late", "apology_not_late"])
def test_the_report_counts_in_progress_late_as_the_rule(
    settings, birth_registration, ward, handler_, apology_late
):
    settings.APOLOGY_COUNTS_AS_LATE = apology_late
    made = {c.name: make(c, factories.procedure(name=c.name), ward, handler_) for c in CASES}
    for c in CASES:
        today = local(at(c.now)).date()
        last = monthrange(2026, today.month)[1]
        month = Period(date(2026, today.month, 1), date(2026, today.month, last), today)
        ids, _ = bucket_ids({ward.id}, month, "in_progress_late", limit=len(CASES) + 1)
        d = made[c.name]
        assert (d.id in ids) == (LATE in python_rules(d, at(c.now))), c.name
        if apology_late:
            assert (d.id in ids) == (LATE in c.holds), c.name


# --- steps: judged by their own due while open and their dossier runs -----------------------------------


@dataclass(frozen=True)
class StepCase:
    name: str
    now: str
    due: str
    holds: frozenset
    status: str = Status.PROCESSING
    finished: bool = False


STEP_CASES = [
    StepCase("step due at the end of today", "03-03 10:00", "03-03 17:00", frozenset({"step_due_soon"})),
    StepCase("step at 17:00", "03-03 17:00", "03-03 17:00", frozenset({"step_past_due"})),
    StepCase("step due Monday, read Friday", "03-06 10:00", "03-09 17:00", frozenset({"step_due_soon"})),
    StepCase("step due Tuesday, read Friday", "03-06 10:00", "03-10 17:00", frozenset()),
    StepCase("step past due", "03-09 10:00", "03-05 17:00", frozenset({"step_past_due"})),
    StepCase("finished step past due", "03-09 10:00", "03-05 17:00", frozenset(), finished=True),
    StepCase(
        "step of a paused dossier",
        "03-09 10:00",
        "03-05 17:00",
        frozenset(),
        status=Status.SUPPLEMENT_REQUESTED,
    ),
]


@pytest.mark.parametrize("c", STEP_CASES, ids=[c.name for c in STEP_CASES])
def test_the_step_rules_in_python_queryset_and_sweep(c, birth_registration, ward, handler_):
    now = at(c.now)
    d = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=c.status,
        received_at=at("02-02 09:00"),
        due_at=at("03-31 17:00"),
        assignee=handler_,
    )
    step = d.steps.order_by("order").first()
    step.started_at, step.assignee, step.due_at = at("02-02 09:00"), handler_, at(c.due)
    step.finished_at = at("03-02 09:00") if c.finished else None
    step.save()

    python = {
        "step_past_due": p.is_step_past_due(step, d.status, now),
        "step_due_soon": p.is_step_due_soon(step, d.status, now),
    }
    queried = {
        "step_past_due": DossierStep.objects.filter(p.step_past_due(now), pk=step.pk).exists(),
        "step_due_soon": DossierStep.objects.filter(p.step_due_soon(now), pk=step.pk).exists(),
    }
    with time_machine.travel(now, tick=False):
        mark_overdue_steps(now)
        mark_due_soon_steps(now)
    step = DossierStep.objects.get(pk=step.pk)
    assert not Notification.objects.filter(user=handler_, dossier=d).exists()
    told = {i.kind for i in reminders.items_for([handler_.pk], now)[handler_.pk] if i.step}

    assert {k for k, v in python.items() if v} == set(c.holds)
    assert {k for k, v in queried.items() if v} == set(c.holds)
    assert (step.overdue_at is not None) == ("step_past_due" in c.holds)
    assert (step.due_soon_notified_at is not None) == bool(c.holds)
    assert told == {
        k for k in ("step_overdue", "step_due_soon") if k.replace("overdue", "past_due") in c.holds
    }
