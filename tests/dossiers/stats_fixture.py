"""A hand-computed month of dossiers covering every bucket of the Decision 766 report (March 2026)."""

from __future__ import annotations

from datetime import datetime

from dossiers.models import Dossier, Status
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
    ("withdrawn", "03-10", "03-13", "03-11", Status.WITHDRAWN, {}),  # withdrawn: not processed
    ("refused", "03-12", "03-17", "03-12 10:00", Status.REFUSED, {}),  # refused at intake, never received
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
    ("stopped", "03-16", "03-19", "03-18", Status.STOPPED, {}),  # stopped: not processed
    ("paused", "03-16", "03-20", None, Status.SUPPLEMENT_REQUESTED, {"supplement_count": 1}),
    ("finished_after", "03-23", "03-26", "04-03", Status.RETURNED, {}),  # open and late on 31/3
]

# Expected March figures for the ward, computed by hand from CASES.
EXPECTED = {
    "received": 12,  # = processed 6 + in progress 4 + withdrawn 1 + stopped 1
    "received_new": 11,
    "carried_over": 1,
    "processed": 6,
    "early": 1,
    "on_time": 1,
    "late": 4,
    "in_progress": 4,
    "in_progress_on_time": 2,
    "in_progress_late": 2,
    "withdrawn": 1,
    "stopped": 1,
    "refused": 1,
    "supplemented": 2,
    "overdue": 6,
    "avg_days": 3.7,  # processed only: (2+3+4+3+6+4) / 6 = 22 / 6
    "p90_days": 5.0,  # sorted 2 3 3 4 4 6: position 4.5 -> 4 + 0.5 * (6 - 4)
    "on_time_rate": 40.0,  # (1 + 1 + 2) / (6 + 4)
}
PROCESSED = {"early", "on_time", "late_by_local_date", "two_supplements", "apology", "carried_over"}
OPEN = {"open_on_time", "open_late", "paused", "finished_after"}
BUCKET_MEMBERS = {
    "received": PROCESSED | OPEN | {"withdrawn", "stopped"},
    "processed": PROCESSED,
    "early": {"early"},
    "on_time": {"on_time"},
    "late": {"late_by_local_date", "two_supplements", "apology", "carried_over"},
    "in_progress": OPEN,
    "in_progress_on_time": {"open_on_time", "paused"},
    "in_progress_late": {"open_late", "finished_after"},
    "carried_over": {"carried_over"},
    "withdrawn": {"withdrawn"},
    "stopped": {"stopped"},
    "refused": {"refused"},
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
    # Refused at intake (Form 03) from "submitted": the dossier was never received, as the service leaves it.
    Dossier.objects.filter(pk=made["refused"].pk).update(received_at=None, clock_started_at=None)
    made["refused"] = Dossier.objects.get(pk=made["refused"].pk)
    return made
