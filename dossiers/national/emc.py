"""EMC, the national usage monitoring system: each change of status reported (the outbox's "emc" channel).

The shape (DOMAIN.md, verify against EMC's specification): the dossier's code, procedure and agency, the EMC
status (1 received, 4 assigned, 2 processing, 3 returned or otherwise finished), the channel, whether it was
paid online, and the procedure's online service level. Built at send time from the event (an append-only
row), so a report sent late still says what happened and when; sent in dossier order like the portal's.
"""

from __future__ import annotations

from django.conf import settings

from dossiers.models import Dossier, DossierEvent, OutboxMessage, Status
from dossiers.models.dossier import CHANNEL_CODES
from dossiers.national import http
from dossiers.national.dvcqg_client import Refused
from dossiers.national.dvcqg_payload import clip, portal_code, portal_date
from dossiers.national.ordering import wait_for_earlier
from procedures.models import Procedure

LINK = "emc"
RECEIVED, PROCESSING, RETURNED, ASSIGNED = 1, 2, 3, 4
STATUS = {
    Status.SUBMITTED: RECEIVED,
    Status.RECEIVED: RECEIVED,
    Status.PROCESSING: PROCESSING,
    Status.SUPPLEMENT_REQUESTED: PROCESSING,
    Status.AWAITING_PAYMENT: PROCESSING,
    Status.RESOLVED: PROCESSING,
    Status.RETURNED: RETURNED,
    Status.REFUSED: RETURNED,
    Status.WITHDRAWN: RETURNED,
    Status.STOPPED: RETURNED,
}
# Online service level (Decree 42/2022): full online 4, partial 3, not online 2.
SERVICE_LEVEL = {
    Procedure.OnlineLevel.FULL: 4,
    Procedure.OnlineLevel.PARTIAL: 3,
    Procedure.OnlineLevel.NONE: 2,
}


def emc_status(event: DossierEvent) -> int:
    """Handed to a handler for the first time (received -> processing) is "assigned"; otherwise by status."""
    if event.from_status == Status.RECEIVED and event.to_status == Status.PROCESSING:
        return ASSIGNED
    return STATUS.get(event.to_status, RECEIVED)


def report(dossier: Dossier, event: DossierEvent) -> dict:
    return {
        "MaHoSo": clip("MaHoSo", portal_code(dossier)),
        "MaTTHC": clip("MaTTHC", dossier.procedure.code),
        "MaDonVi": clip("DonViXuLy", dossier.receiving_agency.code),
        "TrangThai": emc_status(event),
        "KenhThucHien": CHANNEL_CODES.get(dossier.channel, 1),
        "ThanhToanTrucTuyen": 1 if dossier.paid_online else 0,
        "MucDoDVC": SERVICE_LEVEL.get(dossier.procedure.online_level, 2),
        "ThoiGian": portal_date(event.at),
    }


def send(message: OutboxMessage) -> None:
    wait_for_earlier(message)
    dossier = Dossier.objects.select_related("procedure", "receiving_agency").get(pk=message.dossier_id)
    event = DossierEvent.objects.get(pk=message.payload["event_id"])
    answer = http.call(
        LINK,
        "POST",
        f"{settings.EMC_URL.rstrip('/')}/api/emc/baocao",
        json={"data": [report(dossier, event)]},
        headers={"Authorization": f"Bearer {settings.EMC_TOKEN}"},
    )
    if answer.status >= 400 or answer.body.get("error_code") != "00":
        raise Refused(answer.status, answer.body)
