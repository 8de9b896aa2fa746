"""The one way to write to the audit log; called by services inside their transaction."""

from __future__ import annotations

from django.utils import timezone

from dossiers import notify
from dossiers.models import Dossier, DossierEvent
from dossiers.national import outbound as national
from dossiers.reporting.marks import mark_dirty as mark_stats_dirty
from dossiers.selectors.count_cache import agencies_changed


def record_event(
    dossier: Dossier,
    action: str,
    *,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    payload: dict | None = None,
    public: bool = True,
    at=None,
) -> DossierEvent:
    """Append an event. Must run inside the transaction that changed the dossier."""
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.display_name if getattr(actor, "pk", None) else "Hệ thống"),
        action=action,
        from_status=from_status,
        to_status=to_status or dossier.status,
        note=note,
        payload=payload or {},
        public=public,
    )
    notify.on_event(event)  # inbox rows and outbox messages, in this same transaction
    national.on_event(event)  # the national portal's and EMC's messages, likewise
    mark_stats_dirty(dossier)  # the rollup months this change makes stale
    agencies_changed((dossier.receiving_agency_id, dossier.competent_agency_id))  # the desk's tab counts
    return event
