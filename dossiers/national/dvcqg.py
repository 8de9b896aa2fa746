"""Push to the National Public Service Portal: the sender of the outbox's "dvcqg" channel.

national.outbound queues, with each event, an "upsert" (DongBoHoSoMC: the whole dossier) for a new dossier
and a "progress" (CapNhatTienDoHoSoMC: one step of its history) for each change of status or step. Here each
is built and sent, in dossier order (national.ordering: a progress never reaches the portal before its
dossier's upsert), with the outbox's retries and backoff.

What is sent is built at send time, two ways on purpose:
- an upsert from the dossier as it is then: the portal replaces what it had, so after an outage it gets
  today's data once rather than every stale version in turn;
- a progress from its event, an append-only row: it says what happened and when, however late it leaves.
"""

from __future__ import annotations

from django.utils import translation

from accounts.models import Membership, Role
from dossiers.models import Document, Dossier, DossierEvent, OutboxMessage
from dossiers.national import dvcqg_client
from dossiers.national.dvcqg_payload import progress_record, upsert_record
from dossiers.national.ordering import wait_for_earlier


def dossier_for_sync(dossier_id: int) -> Dossier:
    return Dossier.objects.select_related("procedure", "receiving_agency", "competent_agency").get(
        pk=dossier_id
    )


def components(dossier: Dossier) -> list[Document]:
    return list(dossier.documents.filter(kind=Document.Kind.COMPONENT).order_by("id"))


def upsert_of(dossier: Dossier) -> dict:
    return upsert_record(dossier, components(dossier))


def _title_and_unit(dossier: Dossier, event: DossierEvent) -> tuple[str, str]:
    """The actor's title (their role at one of the dossier's agencies) and the unit that acted."""
    payload = event.payload or {}
    if event.actor_id is None:
        return "Hệ thống", dossier.receiving_agency.name
    if event.actor_id == dossier.applicant_user_id:
        with translation.override("vi"):
            return str(Role.CITIZEN.label), "Công dân"
    held = (
        Membership.objects.filter(
            user_id=event.actor_id, agency_id__in=[dossier.receiving_agency_id, dossier.competent_agency_id]
        )
        .select_related("agency")
        .order_by("id")
        .first()
    )
    if held is None:
        return "Hệ thống", dossier.receiving_agency.name
    with translation.override("vi"):
        title = str(Role(held.role).label) if held.role in Role.values else held.role
    return title, payload.get("from_unit") or held.agency.name


def progress_of(dossier: Dossier, event: DossierEvent) -> dict:
    title, unit = _title_and_unit(dossier, event)
    return progress_record(dossier, event, title, unit)


def send(message: OutboxMessage) -> None:
    """Send one queued dvcqg message; raises (the outbox retries) when the portal is down or refuses."""
    wait_for_earlier(message)
    dossier = dossier_for_sync(message.dossier_id)
    if message.payload.get("kind") == "upsert":
        dvcqg_client.upsert([upsert_of(dossier)])
    else:
        event = DossierEvent.objects.get(pk=message.payload["event_id"])
        dvcqg_client.progress([progress_of(dossier, event)])
