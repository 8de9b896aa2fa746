"""Early / on time / late is written twice: the pure deadlines.classify_finish and the SQL of the report (its
BUCKETS, which the monthly rollups count too). One table of cases runs through both, on real dossier rows,
so the two cannot drift apart.

classify_finish compares the local dates of a finish and a due date; the report adds what classify_finish
does not decide (more than one supplement, an apology, dossiers still open at the end of the
period, and those finished without a result: withdrawn, stopped or refused at intake, each its own line and
never early, on time or late). Those rows state the expected bucket and only the SQL is checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
import time_machine

from dossiers.lifecycle.deadlines import classify_finish
from dossiers.models import Status
from dossiers.reporting import Period, bucket_ids
from dossiers.reporting.rollup import build_months, stored
from tests import factories

from .stats_fixture import NOW, TZ

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), NOW.date())  # judged 10 April: March is closed
FINISHED = ("early", "on_time", "late")
OPEN = ("in_progress_on_time", "in_progress_late")
WITHOUT_RESULT = ("withdrawn", "stopped", "refused")  # their own lines: never early, on time or late
BUCKETS = (*FINISHED, *OPEN, *WITHOUT_RESULT)


def at(text: str) -> datetime:
    """Local time '03-05 17:00' in 2026 (March 2026 has no holiday)."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


@dataclass(frozen=True)
class Case:
    name: str
    finished: str | None  # None: still open
    due: str | None  # the legal due (pauses already shifted it)
    expected: str  # with APOLOGY_COUNTS_AS_LATE on
    expected_apology_not_late: str | None = None  # when it differs with the setting off
    status: str = Status.RETURNED
    fields: dict = field(default_factory=dict)

    @property
    def decided_by_dates(self) -> bool:
        """Whether classify_finish alone gives the answer: finished in March, against a due date, not made
        late by supplements or an apology."""
        return (
            self.finished is not None
            and self.status not in (Status.WITHDRAWN, Status.STOPPED, Status.REFUSED)
            and at(self.finished).date() <= MARCH.end
            and self.fields.get("supplement_count", 0) <= 1
            and not self.fields.get("apology_count")
        )


CASES = [
    Case("finished the day before", "03-04 16:00", "03-05 17:00", "early"),
    Case("finished one minute before midnight the day before", "03-04 23:59", "03-05 17:00", "early"),
    Case("finished on the due day in the morning", "03-05 08:00", "03-05 17:00", "on_time"),
    Case("finished on the due day after office hours", "03-05 22:30", "03-05 17:00", "on_time"),
    Case("finished after local midnight (UTC still the due day)", "03-06 00:30", "03-05 17:00", "late"),
    Case("finished the day after", "03-06 08:00", "03-05 17:00", "late"),
    Case("finished a week late", "03-12 10:00", "03-05 17:00", "late"),
    Case("finished with no due date", "03-05 10:00", None, "on_time"),
    Case("withdrawn after the due date", "03-09 10:00", "03-05 17:00", "withdrawn", status=Status.WITHDRAWN),
    Case("withdrawn before the due date", "03-03 10:00", "03-05 17:00", "withdrawn", status=Status.WITHDRAWN),
    Case("stopped after the due date", "03-09 10:00", "03-05 17:00", "stopped", status=Status.STOPPED),
    Case("refused at intake", "03-02 10:00", "03-05 17:00", "refused", status=Status.REFUSED),
    Case("withdrawn in April", "04-02 10:00", "03-20 17:00", "in_progress_late", status=Status.WITHDRAWN),
    Case("one supplement, early", "03-04 10:00", "03-05 17:00", "early", fields={"supplement_count": 1}),
    Case(
        "two supplements, early by date", "03-04 10:00", "03-05 17:00", "late", fields={"supplement_count": 2}
    ),
    Case(
        "apology, finished by the legal due",
        "03-05 10:00",
        "03-05 17:00",
        "late",
        "on_time",
        fields={"apology_count": 1, "due_at": at("03-09 17:00")},
    ),
    Case(
        "apology, finished early",
        "03-03 10:00",
        "03-05 17:00",
        "late",
        "early",
        fields={"apology_count": 1, "due_at": at("03-09 17:00")},
    ),
    Case(
        "open, not yet due at the end of March",
        None,
        "04-03 17:00",
        "in_progress_on_time",
        status=Status.PROCESSING,
    ),
    Case(
        "open, due on the last day of March",
        None,
        "03-31 17:00",
        "in_progress_on_time",
        status=Status.PROCESSING,
    ),
    Case("open past its due", None, "03-20 17:00", "in_progress_late", status=Status.PROCESSING),
    Case("open at the counter past its due", None, "03-20 17:00", "in_progress_late", status=Status.RECEIVED),
    Case(
        "paused for a supplement past its due",
        None,
        "03-20 17:00",
        "in_progress_on_time",
        status=Status.SUPPLEMENT_REQUESTED,
        fields={"supplement_count": 1, "paused_at": at("03-10 10:00")},
    ),
    Case(
        "paused for payment past its due",
        None,
        "03-20 17:00",
        "in_progress_on_time",
        status=Status.AWAITING_PAYMENT,
        fields={"paused_at": at("03-10 10:00")},
    ),
    Case(
        "paused after a second supplement request",
        None,
        "04-03 17:00",
        "in_progress_late",
        status=Status.SUPPLEMENT_REQUESTED,
        fields={"supplement_count": 2, "paused_at": at("03-10 10:00")},
    ),
    Case(
        "open with an apology, not yet due",
        None,
        "04-03 17:00",
        "in_progress_late",
        "in_progress_on_time",
        status=Status.PROCESSING,
        fields={"apology_count": 1, "due_at": at("04-08 17:00")},
    ),
    Case("finished in April, past its due in March", "04-02 10:00", "03-20 17:00", "in_progress_late"),
    Case("finished in April, due in April", "04-02 10:00", "04-03 17:00", "in_progress_on_time"),
]


@pytest.fixture
def rows(ward):
    """One dossier per case, each under its own procedure so that a rollup cell holds exactly one case."""
    made = {}
    for case in CASES:
        procedure = factories.procedure(name=case.name)
        due = at(case.due) if case.due else None
        fields = {"due_at": due, **case.fields}
        made[case.name] = factories.dossier(
            procedure=procedure,
            agency=ward,
            status=case.status,
            received_at=at("03-02 09:00"),
            legal_due_at=due,
            finished_at=at(case.finished) if case.finished else None,
            **fields,
        )
    return made


def expected(case: Case, apology_late: bool) -> str:
    return (
        case.expected
        if apology_late or not case.expected_apology_not_late
        else case.expected_apology_not_late
    )


def test_the_table_covers_every_bucket():
    assert {c.expected for c in CASES} | {c.expected_apology_not_late for c in CASES} >= set(BUCKETS)


@pytest.mark.parametrize("case", [c for c in CASES if c.decided_by_dates], ids=lambda c: c.name)
def test_classify_finish_gives_the_expected_answer(case):
    assert classify_finish(at(case.finished), at(case.due) if case.due else None) == case.expected


@pytest.mark.parametrize("apology_late", [True, False], ids=["apology_late", "apology_not_late"])
def test_the_report_puts_each_dossier_where_the_rule_says(settings, ward, rows, apology_late):
    settings.APOLOGY_COUNTS_AS_LATE = apology_late
    found = {}
    for bucket in BUCKETS:
        ids, _ = bucket_ids({ward.id}, MARCH, bucket, limit=len(CASES) + 1)
        for dossier_id in ids:
            found.setdefault(dossier_id, []).append(bucket)

    got = {case.name: found.get(rows[case.name].id) for case in CASES}
    want = {case.name: [expected(case, apology_late)] for case in CASES}
    assert got == want
    for case in CASES:  # and where the dates alone decide, the pure function agrees with the SQL
        if case.decided_by_dates:
            assert [classify_finish(at(case.finished), at(case.due) if case.due else None)] == got[
                case.name
            ], case.name


@pytest.mark.parametrize("apology_late", [True, False], ids=["apology_late", "apology_not_late"])
def test_the_monthly_rollups_count_each_dossier_in_the_same_bucket(settings, ward, rows, apology_late):
    settings.APOLOGY_COUNTS_AS_LATE = apology_late
    with time_machine.travel(NOW, tick=False):
        build_months([MARCH.start], {ward.id})
    cells = {procedure: cell for (_, procedure, _), cell in stored({ward.id}, [MARCH.start]).items()}

    got = {case.name: [b for b in BUCKETS if cells[rows[case.name].procedure_id][b]] for case in CASES}
    assert got == {case.name: [expected(case, apology_late)] for case in CASES}
