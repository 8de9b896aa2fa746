"""The result printed from its draft: one rendering for the leader's preview and for the signed result, so
what the leader approves is what the citizen receives (only the preview mark and the verification line
differ)."""

from __future__ import annotations

import re

from accounts.models import Membership, Role, User
from dossiers.documents.forms import contexts
from dossiers.documents.forms.render import qr_data_uri, render_pdf, verify_url
from dossiers.documents.results import template_for
from dossiers.models import Dossier, ResultDraft

# Printed when a leader has no office recorded for the agency (Membership.title).
DEFAULT_SIGNER_TITLE = "Lãnh đạo"


def signer_title(user: User, agency_id: int) -> str:
    """The leader's office in the agency (Membership.title), or the plain word for a leader without one."""
    membership = Membership.objects.filter(user=user, agency_id=agency_id, role=Role.LEADER).first()
    return (membership.title if membership else "") or DEFAULT_SIGNER_TITLE


def preview_signer(dossier: Dossier, draft: ResultDraft, reader: User) -> tuple[str, str]:
    """Whose name and office the preview prints: the approver once approved; otherwise the leader reading
    it, or the leader holding the approval step, or none yet (a handler previewing before submitting)."""
    if draft.approved_at:
        return draft.signer_name, draft.signer_title
    agency_id = dossier.competent_agency_id
    candidates = [reader]
    step = dossier.current_step if dossier.current_step_id else None
    if step is not None and step.role == Role.LEADER and step.assignee_id:
        candidates.append(step.assignee)
    for user in candidates:
        if Membership.objects.filter(user=user, agency_id=agency_id, role=Role.LEADER).exists():
            return user.display_name, signer_title(user, agency_id)
    return "", ""


def _heading(dossier: Dossier, kind: str) -> str:
    """A certificate is titled as the catalogue names its result ("Giấy chứng nhận kết hôn (02 bản chính)"
    prints "Giấy chứng nhận kết hôn"); a decision and an answer by their kind."""
    template = template_for(kind)
    if kind == "certificate" and dossier.procedure.result_type:
        return re.split(r"[(,;]", dossier.procedure.result_type, maxsplit=1)[0].strip() or template.heading
    return template.heading


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def result_context(
    dossier: Dossier,
    draft: ResultDraft,
    *,
    signer_name: str,
    signer_title: str,
    verification_token: str = "",
) -> dict:
    template = template_for(draft.kind)
    ctx = contexts.base_context(dossier, dossier.competent_agency, "", f"{contexts.serial(dossier)}/KQ")
    preview = not verification_token
    link = verify_url(verification_token) if verification_token else ""
    ctx.update(
        draft=draft,
        content={name: paragraphs(draft.content.get(name, "")) for name in (f.name for f in template.fields)},
        heading=_heading(dossier, draft.kind),
        preview=preview,
        verify_url=link,
        verification_token=verification_token,
        qr=qr_data_uri(link) if link else "",
        signer_name=signer_name,
        signer_title=signer_title,
    )
    return ctx


def render_draft(
    dossier: Dossier, draft: ResultDraft, *, signer_name: str, signer_title: str, verification_token: str = ""
) -> bytes:
    """The result as PDF from the draft's version: a preview without a verification token, the result to
    sign with one."""
    ctx = result_context(
        dossier,
        draft,
        signer_name=signer_name,
        signer_title=signer_title,
        verification_token=verification_token,
    )
    return render_pdf(template_for(draft.kind).template, ctx)
