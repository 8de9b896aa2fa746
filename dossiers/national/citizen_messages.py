"""The citizen's phone messages for an event: Zalo ZNS first, else SMS brandname, as the operator set.

notify's Batch asks here for the one message a phone gets for an event (models.CitizenMessageRule: the
event's ZNS template and SMS text, each with its switch). One message, one dedupe key for the person, the
dossier and the event, whichever channel carries it: the citizen never gets the same news twice, and a Zalo
message that finds no Zalo account falls back to the SMS inside the same delivery (national.zalo). What the
message says is fixed when it is queued (the appointment as the event set it), within 400 characters.
"""

from __future__ import annotations

import string

from django.conf import settings
from django.utils import timezone

from dossiers.models import CitizenMessageRule, OutboxMessage
from dossiers.models.citizen_messages import DEFAULT_RULES, MESSAGE_MAX_CHARS, PLACEHOLDER_MAX, default_rule

DEFAULT_PROCEDURE = "thủ tục hành chính"
DEFAULT_AGENCY = "Bộ phận Một cửa"


def load_rules() -> dict[str, CitizenMessageRule]:
    """The operator's rules, over the defaults for any event without a row (one query)."""
    rules = {kind: default_rule(kind) for kind, *_ in DEFAULT_RULES}
    rules.update({rule.kind: rule for rule in CitizenMessageRule.objects.all()})
    return rules


def _cut(value: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def values_for(info) -> dict[str, str]:
    """The placeholders' values for a dossier (notify.DossierInfo), each within PLACEHOLDER_MAX."""
    due = timezone.localtime(info.due_at).strftime("%H:%M %d/%m/%Y") if info.due_at else "—"
    raw = {
        "code": info.code,
        "name": info.applicant_name or "Ông/Bà",
        "procedure": info.extra.get("procedure_name") or DEFAULT_PROCEDURE,
        "due": due,
        "url": info.tracking_url,
        "agency": info.extra.get("agency_name") or DEFAULT_AGENCY,
    }
    return {k: _cut(v, PLACEHOLDER_MAX[k]) or "—" for k, v in raw.items()}


def used_params(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def fill(template: str, values: dict[str, str]) -> str:
    return template.format(**values)[:MESSAGE_MAX_CHARS]


def phone_message(
    kind: str, info, key: str, fallback_text: str, rules: dict[str, CitizenMessageRule]
) -> OutboxMessage | None:
    """The one message for the applicant's phone, or None when the operator switched both channels off.
    An event kind with no rule keeps the plain SMS of its notification (`fallback_text`)."""
    phone = info.applicant_phone
    if not phone:
        return None
    rule = rules.get(kind)
    values = values_for(info)
    sms_text = ""
    if rule is None:
        sms_text = fallback_text[:MESSAGE_MAX_CHARS]
    elif rule.sms_enabled:
        sms_text = fill(rule.sms_template, values) if rule.sms_template else fallback_text[:MESSAGE_MAX_CHARS]
    dedupe = f"citizen:{phone}:d{info.id}:{key}:{kind}"[:255]
    if rule is not None and rule.zalo_enabled and rule.zalo_template_id and settings.ZALO_ENABLED:
        params = {name: values[name] for name in dict.fromkeys(used_params(rule.zalo_template))}
        return OutboxMessage(
            channel=OutboxMessage.Channel.ZALO,
            recipient=phone,
            subject=fallback_text[:255],
            body=fill(rule.zalo_template, values),
            dossier_id=info.id,
            payload={
                "kind": kind,
                "template_id": rule.zalo_template_id,
                "params": params,
                "sms_text": sms_text,
            },
            dedupe_key=dedupe,
        )
    if not sms_text:
        return None
    return OutboxMessage(
        channel=OutboxMessage.Channel.SMS,
        recipient=phone,
        subject=fallback_text[:255],
        body=sms_text,
        dossier_id=info.id,
        payload={"kind": kind},
        dedupe_key=dedupe,
    )
