"""The one way to write to the ticket log; called by the queueing services inside their transaction."""

from __future__ import annotations

from datetime import datetime

from dossiers.models.tickets import Counter, Ticket, TicketEvent


def record_ticket_event(
    ticket: Ticket, action: str, at: datetime, *, actor=None, counter: Counter | None = None, **payload
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        counter=counter,
        payload=payload,
    )
