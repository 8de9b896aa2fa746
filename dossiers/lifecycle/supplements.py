"""The open supplement request (Form 02) of a dossier: what was asked, why, by whom and by when.

Read from the event that paused the dossier, so the desk's "receive the supplement" form, the dossier page,
the citizen's pages and the `supplement` action all see the same list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dossiers.lifecycle.clock import pausing_event
from dossiers.models import Dossier, DossierEvent, Status


@dataclass(frozen=True)
class SupplementRequest:
    items: list[dict]  # each {"requirement_id": int | None, "name": str, "reason": str}
    due_at: datetime | None
    requested_at: datetime
    requested_by: str
    note: str
    at_intake: bool

    @property
    def requirement_ids(self) -> set[int]:
        return {i["requirement_id"] for i in self.items if isinstance(i.get("requirement_id"), int)}


def open_request(dossier: Dossier, event: DossierEvent | None = None) -> SupplementRequest | None:
    """The request the dossier waits on, or None when it waits on none (`event`: its pausing event, when the
    caller has read it already)."""
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        return None
    event = event or pausing_event(dossier)
    if event is None or event.action != "request_supplement":
        return None
    payload = event.payload or {}
    items = [
        {
            "requirement_id": item.get("requirement_id"),
            "name": str(item.get("name") or ""),
            "reason": str(item.get("reason") or ""),
        }
        for item in payload.get("missing") or []
        if isinstance(item, dict)
    ]
    return SupplementRequest(
        items=items,
        due_at=dossier.supplement_due_at,
        requested_at=event.at,
        requested_by=event.actor_name,
        note=event.note,
        at_intake=bool(payload.get("at_intake")),
    )
