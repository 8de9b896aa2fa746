"""What needs a person's attention now: their dossiers past or near the appointment, and their steps past or
near their due. One definition for the live badge, the inbox's "cần chú ý" list and the daily digest, so the
deadline sweeps only mark rows and tell no one one step at a time."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.lifecycle.predicates import (
    appointment_due_soon,
    past_appointment,
    past_legal_due,
    reached,
    step_due_soon,
    step_past_due,
)
from dossiers.models import Dossier, DossierStep

OVERDUE, DUE_SOON, STEP_OVERDUE, STEP_DUE_SOON, PAST_LEGAL_DUE = (
    "overdue",
    "due_soon",
    "step_overdue",
    "step_due_soon",
    "past_legal_due",
)
LABELS = {
    OVERDUE: _("Trễ hẹn"),
    DUE_SOON: _("Sắp đến hạn"),
    STEP_OVERDUE: _("Bước quá hạn"),
    STEP_DUE_SOON: _("Bước sắp đến hạn"),
    PAST_LEGAL_DUE: _("Quá hạn giải quyết"),
}
# Most urgent first; within a kind, the earliest due first.
ORDER = {OVERDUE: 0, STEP_OVERDUE: 1, PAST_LEGAL_DUE: 2, DUE_SOON: 3, STEP_DUE_SOON: 4}


@dataclass(frozen=True)
class Item:
    kind: str
    code: str
    subject: str
    due_at: datetime | None
    step: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def url(self) -> str:
        return f"/dossiers/{self.code}/"

    def as_json(self) -> dict:
        data = asdict(self)
        data["due_at"] = self.due_at.isoformat() if self.due_at else None
        return data


def _sorted(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (ORDER[i.kind], i.due_at, i.code))


def _dossier_q(now: datetime) -> Q:
    return past_appointment(now) | appointment_due_soon(now)


def _step_q(now: datetime) -> Q:
    return step_past_due(now) | step_due_soon(now)


def items_for(user_ids, now: datetime) -> dict[int, list[Item]]:
    """user id -> their items, most urgent first (two queries whatever the number of users); `user_ids`
    None: everyone who has any."""
    found: dict[int, list[Item]] = {}
    if user_ids is None:
        mine = Q(assignee_id__isnull=False)
    else:
        found = {u: [] for u in user_ids}
        mine = Q(assignee_id__in=list(found))
        if not found:
            return found
    for uid, code, subject, due in (
        Dossier.objects.filter(_dossier_q(now), mine)
        .values_list("assignee_id", "code", "subject", "due_at")
        .order_by()
    ):
        found.setdefault(uid, []).append(Item(OVERDUE if reached(due, now) else DUE_SOON, code, subject, due))
    for uid, code, subject, due, name in (
        DossierStep.objects.filter(_step_q(now), mine)
        .values_list("assignee_id", "dossier__code", "dossier__subject", "due_at", "name")
        .order_by()
    ):
        kind = STEP_OVERDUE if reached(due, now) else STEP_DUE_SOON
        found.setdefault(uid, []).append(Item(kind, code, subject, due, name))
    return {u: _sorted(items) for u, items in found.items()}


def count_for(user_id: int, now: datetime) -> int:
    """The badge's number: how many of the user's dossiers and steps are past or near their due (two counts
    over the assignee indexes)."""
    return (
        Dossier.objects.filter(_dossier_q(now), assignee_id=user_id).count()
        + DossierStep.objects.filter(_step_q(now), assignee_id=user_id).count()
    )


def past_legal_due_by_agency(agency_ids, now: datetime, limit: int) -> dict[int, list[Item]]:
    """agency id -> its running dossiers past the legal due, earliest first, at most `limit` each (for the
    leaders' and supervisors' digest; the counts are in the digest's summary rows)."""
    found: dict[int, list[Item]] = {}
    rows = (
        Dossier.objects.filter(past_legal_due(now), competent_agency_id__in=list(agency_ids))
        .values_list("competent_agency_id", "code", "subject", "legal_due_at")
        .order_by("legal_due_at", "id")
    )
    for agency_id, code, subject, due in rows.iterator():
        mine = found.setdefault(agency_id, [])
        if len(mine) < limit:
            mine.append(Item(PAST_LEGAL_DUE, code, subject, due))
    return found
