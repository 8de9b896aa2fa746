"""Reconciliation with the National Public Service Portal: our dossiers against the portal's view of them.

A difference is a dossier the portal does not have, or whose status or appointment (NgayHenTra) differs
from ours. `resend` queues the fix through the outbox, behind whatever the dossier already has queued: its
unsent portal messages are put back in the queue (so a dead one no longer holds the rest), then an upsert
of the dossier as it is now; a dossier the portal never had also gets every progress step of its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from dossiers.models import Dossier, DossierEvent, OutboxMessage, Status
from dossiers.national import dvcqg_client
from dossiers.national.dvcqg_payload import portal_code, portal_date, status_code
from dossiers.national.outbound import FIRST_EVENTS, STEP_EVENTS
from dossiers.notify import outbox

BATCH = 500
MISSING, STATUS, DUE = "missing", "status", "due"


@dataclass(frozen=True)
class Difference:
    dossier_id: int
    code: str
    kind: str  # MISSING, STATUS or DUE
    ours: str
    theirs: str


def local_dossiers(since: datetime | None):
    rows = Dossier.objects.exclude(status=Status.DRAFT)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return rows.only("id", "code", "national_code", "status", "due_at").order_by("id")


def compare(since: datetime | None = None) -> list[Difference]:
    """Every difference, in our dossiers' order; LinkError when the portal cannot be asked."""
    differences: list[Difference] = []
    batch: list[Dossier] = []

    def flush():
        theirs = {row.get("MaHoSo"): row for row in dvcqg_client.lookup([portal_code(d) for d in batch])}
        for d in batch:
            code = portal_code(d)
            row = theirs.get(code)
            if row is None:
                differences.append(Difference(d.pk, code, MISSING, status_code(d.status), ""))
                continue
            if row.get("TrangThaiHoSo") != status_code(d.status):
                differences.append(
                    Difference(d.pk, code, STATUS, status_code(d.status), str(row.get("TrangThaiHoSo")))
                )
            if (row.get("NgayHenTra") or "") != portal_date(d.due_at):
                differences.append(
                    Difference(d.pk, code, DUE, portal_date(d.due_at), str(row.get("NgayHenTra") or ""))
                )
        batch.clear()

    for d in local_dossiers(since).iterator(chunk_size=BATCH):
        batch.append(d)
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    return differences


def _message(dossier_id: int, kind: str, key: str, event_id: int | None = None) -> OutboxMessage:
    payload = {"kind": kind, "reason": "reconcile"}
    if event_id is not None:
        payload["event_id"] = event_id
    return OutboxMessage(
        channel=OutboxMessage.Channel.DVCQG,
        recipient="dvcqg",
        subject=f"{kind} (reconcile)",
        dossier_id=dossier_id,
        payload=payload,
        dedupe_key=key[:255],
    )


def resend(differences: list[Difference], now: datetime | None = None) -> int:
    """Queue the fixes; returns the number of messages queued or put back in the queue."""
    stamp = f"{(now or timezone.now()):%Y%m%d%H%M%S%f}"
    by_dossier: dict[int, set[str]] = {}
    for diff in differences:
        by_dossier.setdefault(diff.dossier_id, set()).add(diff.kind)
    queued = 0
    with transaction.atomic():
        unsent = list(
            OutboxMessage.objects.filter(channel=OutboxMessage.Channel.DVCQG, dossier_id__in=list(by_dossier))
            .exclude(status=OutboxMessage.State.SENT)
            .values_list("id", flat=True)
        )
        queued += outbox.retry(unsent)
        messages = []
        for dossier_id, kinds in by_dossier.items():
            messages.append(_message(dossier_id, "upsert", f"dvcqg:{dossier_id}:reconcile:{stamp}"))
            if (
                MISSING in kinds
                and not OutboxMessage.objects.filter(
                    channel=OutboxMessage.Channel.DVCQG, dossier_id=dossier_id, payload__kind="progress"
                ).exists()
            ):
                for event in DossierEvent.objects.filter(dossier_id=dossier_id).order_by("at", "id"):
                    changed = bool(event.to_status) and event.to_status != event.from_status
                    if (
                        changed
                        or event.action in STEP_EVENTS
                        or (event.action, event.from_status) in FIRST_EVENTS
                    ):
                        messages.append(
                            _message(
                                dossier_id,
                                "progress",
                                f"dvcqg:{dossier_id}:reconcile:{stamp}:e{event.pk}",
                                event.pk,
                            )
                        )
        queued += outbox.write(messages)
    return queued
