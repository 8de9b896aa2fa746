"""SMS brandname: an SMS_BACKEND (notify.backends) that posts each text to the gateway at SMS_BRANDNAME_URL.

One text of at most 400 characters from the registered sender name SMS_BRANDNAME; the link's health is
recorded (national.http) and a refusal raises, so the outbox retries and finally dead-letters it."""

from __future__ import annotations

import uuid

from django.conf import settings

from dossiers.models.citizen_messages import MESSAGE_MAX_CHARS
from dossiers.national import http
from dossiers.national.dvcqg_client import Refused
from dossiers.national.phones import international
from dossiers.notify.backends import SmsBackend

LINK = "sms"


def send_text(phone: str, text: str) -> str:
    """Send one SMS; returns the gateway's message id."""
    answer = http.call(
        LINK,
        "POST",
        f"{settings.SMS_BRANDNAME_URL.rstrip('/')}/api/sms/send",
        json={
            "brandname": settings.SMS_BRANDNAME,
            "phone": international(phone),
            "message": " ".join(text.split())[:MESSAGE_MAX_CHARS],
            "request_id": uuid.uuid4().hex,
        },
        headers={"Authorization": f"Bearer {settings.SMS_BRANDNAME_TOKEN}"},
    )
    if answer.status >= 400 or answer.body.get("code") != "00":
        raise Refused(answer.status, answer.body)
    return str(answer.body.get("message_id", ""))


class BrandnameSmsBackend(SmsBackend):
    def send(self, phone: str, text: str) -> None:
        send_text(phone, text)
