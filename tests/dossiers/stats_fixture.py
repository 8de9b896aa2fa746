"""A hand-computed month of dossiers covering every bucket of the Decision 766 report (March 2026)."""

from __future__ import annotations

from datetime import datetime

from dossiers.models import Status
from procedures.calendar import LOCAL_TZ as TZ
from tests import factories

NOW = datetime(2026, 4, 10, 9, 0, tzinfo=TZ)  # tests freeze time here: March is over
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


def at(day: str, hhmm: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"2026-{day}T{hhmm}").replace(tzinfo=TZ)


# name, received, legal due, finished (None = open), status, extra fields. March 2026 has no holiday.
CASES = [
    ("early", "03-02", "03-05", "03-04", Status.RETURNED, {}),  # 2 working days
    ("on_time", "03-02", "03-05", "03-05 23:30", Status.RETURNED, {}),  # 3
    ("late_by_local_date", "03-02", "03-05", "03-06 00:30", Status.RESOLVED, {}),  # 4 (UTC date is 03-05)
    ("open_on_time", "03-25", "04-01", None, Status.PROCESSING, {}),
    ("open_late", "03-20", "03-25", None, Status.PROCESSING, {}),
    ("withdrawn", "03-10", "03-13", "03-11", Status.WITHDRAWN, {}),  # 1, early
    ("refused", "03-12", "03-17", "03-12 10:00", Status.REFUSED, {}),  # 0, early
    (
        "two_supplements",
        "03-02",
        "03-10",
        "03-06",
        Status.RETURNED,  # 4 - 1 paused = 3, late
        {"supplement_count": 2, "paused_working_days": 1},
    ),
    (
        "apology",
        "03-02",
        "03-05",
        "03-10",
        Status.RETURNED,  # 6: late, new date or not
        {"apology_count": 1, "due_at": "03-12"},
    ),
    ("carried_over", "02-25", "03-02", "03-03", Status.RETURNED, {}),  # 4: 26, 27 Feb, 2, 3 Mar
    ("finished_before", "02-10", "02-13", "02-12", Status.RETURNED, {}),  # not in March
    ("received_after", "04-02", "04-07", None, Status.PROCESSING, {}),  # not in March
    ("stopped", "03-16", "03-19", "03-18", Status.STOPPED, {}),  # 2, early
    ("paused", "03-16", "03-20", None, Status.SUPPLEMENT_REQUESTED, {"supplement_count": 1}),
    ("finished_after", "03-23", "03-26", "04-03", Status.RETURNED, {}),  # open and late on 31/3
]

# Expected March figures for the ward, computed by hand from CASES.
EXPECTED = {
    "received": 13,
    "received_new": 12,
    "carried_over": 1,
    "finished": 9,
    "early": 4,
    "on_time": 1,
    "late": 4,
    "in_progress": 4,
    "in_progress_on_time": 2,
    "in_progress_late": 2,
    "processed": 8,
    "withdrawn": 1,
    "refused": 1,
    "stopped": 1,
    "supplemented": 2,
    "overdue": 6,
    "avg_days": 2.8,  # (2+3+4+1+0+3+6+4+2) / 9 = 25 / 9
    "p90_days": 4.4,  # sorted 0 1 2 2 3 3 4 4 6: position 7.2 -> 4 + 0.2 * (6 - 4)
    "on_time_rate": 53.85,  # (4 + 1 + 2) / 13
}
BUCKET_MEMBERS = {
    "early": {"early", "withdrawn", "refused", "stopped"},
    "on_time": {"on_time"},
    "late": {"late_by_local_date", "two_supplements", "apology", "carried_over"},
    "in_progress_on_time": {"open_on_time", "paused"},
    "in_progress_late": {"open_late", "finished_after"},
    "carried_over": {"carried_over"},
    "withdrawn": {"withdrawn"},
}


def _dt(text: str | None):
    if text is None:
        return None
    day, _, hhmm = text.partition(" ")
    return at(day, hhmm or "17:00")


def build(ward, procedure) -> dict[str, object]:
    """Create CASES in the ward; returns the dossiers by case name."""
    made = {}
    for name, received, due, finished, status, extra in CASES:
        extra = dict(extra)
        due_at = _dt(extra.pop("due_at", None) or due)
        made[name] = factories.dossier(
            procedure=procedure,
            agency=ward,
            status=status,
            received_at=at(received),
            due_at=due_at,
            legal_due_at=_dt(due),
            original_due_at=_dt(due),
            finished_at=_dt(finished),
            resolved_at=_dt(finished) if status in (Status.RESOLVED, Status.RETURNED) else None,
            **extra,
        )
    return made
