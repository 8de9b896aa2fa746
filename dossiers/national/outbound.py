"""What an event queues for the national platforms, in the event's own transaction (called by record_event).

One place decides it: the DVCQG upsert for a new dossier (and when its appointment moves), a DVCQG progress
step for every change of status or internal step, and an EMC report for every change of status. Each is an
OutboxMessage keyed by dossier and event, so a repeat never queues it twice; nothing is sent here.
"""

from __future__ import annotations

from django.conf import settings

from dossiers.models import DossierEvent, OutboxMessage
from dossiers.notify import outbox

Channel = OutboxMessage.Channel

# Events that make a new dossier (its first event): the portal gets the whole dossier.
FIRST_EVENTS = {("submit", "draft"), ("receive", "")}
# Events that change what the portal holds besides the status: the whole dossier again.
RESYNC_EVENTS = {"apologize"}
STEP_EVENTS = {"forward"}


def message(channel: str, event: DossierEvent, kind: str) -> OutboxMessage:
    dossier = event.dossier
    return OutboxMessage(
        channel=channel,
        recipient=channel,
        subject=f"{kind} {dossier.code}"[:255],
        dossier_id=dossier.pk,
        payload={"kind": kind, "event_id": event.pk, "action": event.action},
        dedupe_key=f"{channel}:{dossier.pk}:{kind}:e{event.pk}",
    )


def messages_for(event: DossierEvent) -> list[OutboxMessage]:
    out = []
    status_changed = bool(event.to_status) and event.to_status != event.from_status
    if settings.DVCQG_PUSH:
        if (event.action, event.from_status) in FIRST_EVENTS or event.action in RESYNC_EVENTS:
            out.append(message(Channel.DVCQG, event, "upsert"))
        if status_changed or event.action in STEP_EVENTS:
            out.append(message(Channel.DVCQG, event, "progress"))
    if settings.EMC_PUSH and status_changed:
        out.append(message(Channel.EMC, event, "status"))
    return out


def on_event(event: DossierEvent) -> None:
    outbox.write(messages_for(event))
