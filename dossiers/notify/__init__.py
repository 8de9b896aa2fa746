"""Notifications: decide who is told about an event, write inbox rows and outbox messages in its transaction.

`on_event(event)` is called by dossiers.events.record_event for every event; the deadline sweeps use `Batch`
directly. Nothing here sends anything: the outbox drain does, after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ..models import Dossier, DossierEvent, Notification, OutboxMessage, WebhookSubscription
from ..models.dossier import NATIONAL_CODES
from ..national import citizen_messages
from . import outbox
from .recipients import citizen_contacts, emails_of

__all__ = ["Batch", "DossierInfo", "on_event", "render"]

Kind = Notification.Kind

# Event action -> what the citizen is told.
CITIZEN_KINDS = {
    "submit": Kind.SUBMITTED,
    "receive": Kind.RECEIPT,
    "refuse_intake": Kind.REFUSAL,
    "request_supplement": Kind.SUPPLEMENT_REQUEST,
    "apologize": Kind.APOLOGY,
    "resolve": Kind.RESULT_READY,
    "expire_supplement": Kind.SUPPLEMENT_EXPIRED,
}


@dataclass
class DossierInfo:
    """What the message templates need of a dossier (built from a model or from a sweep's RETURNING row)."""

    id: int
    code: str
    subject: str = ""
    due_at: datetime | None = None
    legal_due_at: datetime | None = None
    supplement_due_at: datetime | None = None
    applicant_name: str = ""
    applicant_email: str = ""
    applicant_phone: str = ""
    applicant_user_id: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def of(cls, d: Dossier) -> DossierInfo:
        extra = {}  # names the phone messages can say, when already read (never an extra query)
        if Dossier._meta.get_field("procedure").is_cached(d):
            extra["procedure_name"] = d.procedure.name
        if Dossier._meta.get_field("receiving_agency").is_cached(d):
            extra["agency_name"] = d.receiving_agency.name
        return cls(
            id=d.pk,
            code=d.code,
            subject=d.subject,
            due_at=d.due_at,
            legal_due_at=d.legal_due_at,
            supplement_due_at=d.supplement_due_at,
            applicant_name=d.applicant_name,
            applicant_email=d.applicant_email,
            applicant_phone=d.applicant_phone,
            applicant_user_id=d.applicant_user_id,
            extra=extra,
        )

    @property
    def tracking_url(self) -> str:
        return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/?code={self.code}"

    @property
    def portal_url(self) -> str:
        """The dossier's page in the citizen portal (for those who filed online)."""
        return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/cong-dan/ho-so/{self.code}/"


def render(kind: str, context: dict, language: str = "vi") -> tuple[str, str]:
    """(subject, body) of templates/notify/<kind>.txt: the first line is the subject.

    Vietnamese unless asked: what leaves the system (email, SMS) is in Vietnamese. Staff templates are
    translated, so a staff inbox row also carries its English text for a reader who chose English; the
    citizen's templates are Vietnamese only (they restate the legal notices of Forms 01, 02 and 04).
    """
    with translation.override(language):
        text = render_to_string(f"notify/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip()[:255], body.strip()


class Batch:
    """Collects inbox rows and outbox messages, then writes them in two inserts (constant queries)."""

    def __init__(self) -> None:
        self.notifications: list[Notification] = []
        self.messages: list[OutboxMessage] = []
        self._rendered: dict[tuple, tuple[str, str]] = {}
        self._phone_rules: dict | None = None

    def phone_rules(self) -> dict:
        """The operator's rules for phone messages, read once per batch."""
        if self._phone_rules is None:
            self._phone_rules = citizen_messages.load_rules()
        return self._phone_rules

    def _render(self, kind: str, info: DossierInfo, context: dict, language: str = "vi") -> tuple[str, str]:
        key = (kind, info.id, language, tuple(sorted((k, str(v)) for k, v in context.items())))
        if key not in self._rendered:
            self._rendered[key] = render(kind, {"d": info, **info.extra, **context}, language)
        return self._rendered[key]

    def citizen(self, kind: str, info: DossierInfo, key: str, **context) -> None:
        """The applicant: email and SMS where given, and the inbox of the account that filed online."""
        subject, body = self._render(kind, info, context)
        for channel, address in citizen_contacts(info):
            if channel == "sms":  # the phone: Zalo or SMS brandname, as the operator set for this event
                message = citizen_messages.phone_message(kind, info, key, subject, self.phone_rules())
                if message is not None:
                    self.messages.append(message)
                continue
            self.messages.append(
                OutboxMessage(
                    channel=channel,
                    recipient=address,
                    subject=subject,
                    body=body if channel == "email" else subject,
                    dossier_id=info.id,
                    payload={"kind": kind},
                    dedupe_key=f"{key}:{kind}:{channel}:{address}"[:255],
                )
            )
        if info.applicant_user_id:
            self.notifications.append(
                Notification(
                    user_id=info.applicant_user_id, dossier_id=info.id, kind=kind, title=subject, body=body
                )
            )

    def staff(
        self, kind: str, info: DossierInfo, user_ids, emails: dict[int, str], key: str, **context
    ) -> None:
        """Staff users: an inbox row each, and an email to those who have an address."""
        subject, body = self._render(kind, info, context)
        subject_en, body_en = self._render(kind, info, context, "en")
        for user_id in dict.fromkeys(u for u in user_ids if u):
            if user_id not in emails:  # inactive or unknown
                continue
            self.notifications.append(
                Notification(
                    user_id=user_id,
                    dossier_id=info.id,
                    kind=kind,
                    title=subject,
                    body=body,
                    title_en=subject_en,
                    body_en=body_en,
                )
            )
            if emails[user_id]:
                self.messages.append(
                    OutboxMessage(
                        channel="email",
                        recipient=emails[user_id],
                        subject=subject,
                        body=body,
                        dossier_id=info.id,
                        payload={"kind": kind, "user": user_id},
                        dedupe_key=f"{key}:{kind}:u{user_id}"[:255],
                    )
                )

    def user_digest(
        self,
        user_id: int,
        email: str,
        subject: str,
        body: str,
        key: str,
        english: tuple[str, str] = ("", ""),
        items: list[dict] | None = None,
    ) -> None:
        """One person's digest: an inbox row (with its items, each linking to its dossier) and an email."""
        self.notifications.append(
            Notification(
                user_id=user_id,
                kind=Kind.DIGEST,
                title=subject,
                body=body,
                title_en=english[0],
                body_en=english[1],
                items=items or [],
            )
        )
        if email:
            self.messages.append(
                OutboxMessage(
                    channel="email",
                    recipient=email,
                    subject=subject,
                    body=body,
                    payload={"kind": Kind.DIGEST, "user": user_id},
                    dedupe_key=f"{key}:u{user_id}"[:255],
                )
            )

    def webhook(self, sub: WebhookSubscription, payload: dict, key: str) -> None:
        self.messages.append(
            OutboxMessage(
                channel="webhook",
                recipient=sub.url[:500],
                subscription=sub,
                payload=payload,
                subject=payload.get("event", ""),
                dossier_id=payload.get("dossier_id"),
                dedupe_key=f"{key}:webhook:{sub.pk}"[:255],
            )
        )

    def flush(self) -> tuple[int, int]:
        """Write everything collected (inside the caller's transaction); returns (notifications, messages)."""
        if self.notifications:
            Notification.objects.bulk_create(self.notifications)
        outbox.write(self.messages)
        counts = len(self.notifications), len(self.messages)
        self.notifications, self.messages = [], []
        return counts


def webhook_payload(event: DossierEvent) -> dict:
    """What other systems receive: the event and the dossier's code and status (no personal data)."""
    d = event.dossier
    return {
        "id": event.pk,
        "event": event.action,
        "at": event.at.isoformat(),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "dossier_id": d.pk,
        "dossier": {
            "code": d.code,
            "status": d.status,
            "national_status_code": NATIONAL_CODES.get(d.status),
            "due_at": d.due_at.isoformat() if d.due_at else None,
        },
    }


def on_event(event: DossierEvent) -> None:
    """Write what an event should tell people, in the event's transaction (called by record_event)."""
    d = event.dossier
    info = DossierInfo.of(d)
    batch = Batch()
    key = f"event:{event.pk}"
    kind = CITIZEN_KINDS.get(event.action)
    if kind:
        batch.citizen(kind, info, key, event=event)
    if event.action in ("forward", "send_back"):  # handed over, or sent back to the handler
        to_user = event.payload.get("to_user")
        if to_user and to_user != event.actor_id:
            batch.staff(Kind.ASSIGNED, info, [to_user], emails_of([to_user]), key, event=event)
    if event.action == "population_check" and event.payload.get("outcome") in ("mismatch", "not_found"):
        clerk = d.received_by_id  # who took the applicant's details checks them again
        if clerk:
            batch.staff(Kind.POPULATION_MISMATCH, info, [clerk], emails_of([clerk]), key, event=event)
    subscriptions = [s for s in WebhookSubscription.objects.filter(active=True) if _wants(s, event)]
    if subscriptions:
        payload = webhook_payload(event)
        for sub in subscriptions:
            batch.webhook(sub, payload, key)
    batch.flush()


def _wants(sub: WebhookSubscription, event: DossierEvent) -> bool:
    return event.action in sub.event_types if sub.event_types else event.public
