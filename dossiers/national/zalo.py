"""Zalo ZNS: the sender of the outbox's "zalo" channel (ZALO_URL, ZALO_TOKEN).

A message names a template approved at Zalo and its parameters (national.citizen_messages fixed them when it
was queued). A phone with no Zalo account gets the event's SMS brandname text instead, in the same delivery,
so the person hears it once; with SMS switched off for that event there is nothing more to send.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

from dossiers.models import OutboxMessage
from dossiers.national import http, sms
from dossiers.national.dvcqg_client import Refused
from dossiers.national.phones import international

LINK = "zalo"
NO_ZALO_ACCOUNT = -118
logger = logging.getLogger(__name__)


def tracking_id(message: OutboxMessage) -> str:
    """Zalo's own duplicate guard: the same for every attempt at one message."""
    return re.sub(r"[^A-Za-z0-9:_\-]", "-", f"m{message.pk}:{message.dedupe_key}")[:48]


def send(message: OutboxMessage) -> None:
    payload = message.payload
    answer = http.call(
        LINK,
        "POST",
        f"{settings.ZALO_URL.rstrip('/')}/message/template",
        json={
            "phone": international(message.recipient),
            "template_id": payload["template_id"],
            "template_data": payload["params"],
            "tracking_id": tracking_id(message),
        },
        headers={"access_token": settings.ZALO_TOKEN},
    )
    if answer.status < 400 and answer.body.get("error") == NO_ZALO_ACCOUNT:
        if payload.get("sms_text"):
            sms.send_text(message.recipient, payload["sms_text"])
        else:
            logger.info(
                "zalo: %s has no Zalo account and SMS is off for %s", message.recipient, payload["kind"]
            )
        return
    if answer.status >= 400 or answer.body.get("error") != 0:
        raise Refused(answer.status, answer.body)
