"""Documents the centre issues: the dossier forms Mẫu 01–06 and the signed electronic result.

The electronic result is driven by the database, not by the broker. Resolving a dossier marks its result
pending with a lease (`e_result_claimed_until`, E_RESULT_LEASE_SECONDS ahead) and queues the issuing task
after commit; while the lease lasts the queued task is trusted. A pending result whose lease has run out (the
broker refused or lost the task, or the worker died in the middle) is claimed again by beat's results sweep
(`queue_due_results`) and queued anew. Issuance itself holds the dossier's row lock from the check for an
existing result to the stored, signed document, and one result per dossier is a database constraint, so any
number of duplicate runs (the sweep's and a late redelivery) store exactly one signed result.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from config.errors import Conflict, InvalidInput, NotFound
from config.jobs import enqueue
from dossiers.documents import drafts
from dossiers.documents.forms import contexts
from dossiers.documents.forms.render import render_pdf
from dossiers.documents.signing import sign_pdf, verify_pdf
from dossiers.lifecycle.e_return import return_if_full_online
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.workflow import check_may_preview_result, check_may_reissue_result
from dossiers.models import Document, Dossier, Outcome, ResultDraft, Status
from dossiers.models.document import new_verification_token
from dossiers.selectors import dossiers_visible_to

log = logging.getLogger(__name__)

# The numbers and titles of Circular 03/2025/TT-VPCP (Phụ lục I), printed in Vietnamese; the desk shows the
# titles translated (they are in the catalogue).
FORM_NAMES = {
    "01": gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": gettext_noop("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    "05": gettext_noop("Thông báo dừng giải quyết hồ sơ"),
    "06": gettext_noop("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "07": gettext_noop("Sổ theo dõi hồ sơ"),
}
# Mẫu 07 is the register of an agency over a period (documents.registers); the others belong to one dossier.
REGISTER_FORM = "07"
DOSSIER_FORMS = tuple(contexts.FORMS)
# Forms that print one event of the dossier apply once that event has happened (the workflow's action names).
# A dossier is stopped by the handler (`stop`) or by the sweep when a supplement request expires
# (`expire_supplement`, which also ends in the status "stopped"): both are notified on Mẫu 05.
FORM_PRINTS_EVENT = {
    "02": ("request_supplement",),
    "03": ("refuse_intake",),
    "04": ("apologize",),
    "05": contexts.STOP_ACTIONS,
}
# The others (receipt, control slip) apply once the dossier is received; one refused at intake never was.


def forms_that_apply(dossier: Dossier, actions: Iterable[str] | None = None) -> list[str]:
    """The printed forms the dossier has now, in number order: the one rule the dossier page, the API and the
    PDF endpoints follow. `actions` are the dossier's event actions when the caller already read them."""
    if actions is None:
        wanted = [a for printed in FORM_PRINTS_EVENT.values() for a in printed]
        actions = dossier.events.filter(action__in=wanted).values_list("action", flat=True).distinct()
    happened = set(actions)
    received = dossier.received_at is not None and dossier.status != Status.REFUSED
    return [
        number
        for number in DOSSIER_FORMS
        if (happened.intersection(FORM_PRINTS_EVENT[number]) if number in FORM_PRINTS_EVENT else received)
    ]


RESULT_READY = (Status.RESOLVED, Status.RETURNED)
ISSUE_RESULT_TASK = "dossiers.issue_result"  # dossiers.tasks.results
PENDING = Dossier.EResult.PENDING
E_RESULT_FIELDS = ["e_result_status", "e_result_error", "e_result_claimed_until"]


def visible_dossiers(user: User):
    """Dossiers the user may see (dossiers.selectors), with what the forms print already joined."""
    return dossiers_visible_to(user).select_related(
        "procedure", "receiving_agency__parent", "competent_agency__parent", "received_by"
    )


def visible_dossier(user: User, code: str) -> Dossier:
    dossier = visible_dossiers(user).filter(code=code).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ {code}.", f"Dossier {code} not found.")
    return dossier


def visible_document(user: User, document_id: int) -> Document:
    doc = (
        Document.objects.select_related("dossier")
        .filter(pk=document_id, dossier__in=visible_dossiers(user))
        .first()
    )
    if doc is None:
        raise NotFound("Không tìm thấy tài liệu.", "Document not found.")
    return doc


def render_form(dossier: Dossier, number: str) -> bytes:
    """PDF of Mẫu 01–06 for the dossier; a form that does not apply yet (forms_that_apply) is refused.
    Mẫu 07, the register, is not a dossier's form: it has its own endpoint (registers)."""
    check_form_applies(dossier, number)
    template, build = contexts.FORMS[number]
    return render_pdf(template, build(dossier))


def check_form_applies(dossier: Dossier, number: str) -> None:
    """NotFound for a number that is no dossier's form, Conflict for one the dossier has nothing for yet."""
    if number == REGISTER_FORM:
        raise NotFound(
            "Mẫu số 07 (Sổ theo dõi hồ sơ) là sổ của cơ quan theo kỳ, không in theo từng hồ sơ.",
            "Form 07 (the register) covers an agency over a period, not one dossier.",
        )
    if number not in contexts.FORMS:
        raise NotFound("Không có mẫu phiếu này.", f"No form {number}.")
    if number not in forms_that_apply(dossier):
        raise Conflict(
            f"Hồ sơ chưa có thông tin để in {FORM_NAMES[number].lower()}.",
            f"The dossier has nothing to print on form {number} yet.",
            code="form_not_applicable",
        )


def render_result(dossier: Dossier, verification_token: str) -> bytes:
    """The unsigned result: the decision on approval, or the letter giving the reasons for a denial, with
    the QR code and link of its public check (by `verification_token`)."""
    return render_pdf("pdf/result.html", contexts.result(dossier, verification_token))


def approved_draft(dossier: Dossier) -> ResultDraft | None:
    return ResultDraft.objects.filter(dossier=dossier, approved_at__isnull=False).first()


def render_signed_result(dossier: Dossier, verification_token: str) -> tuple[bytes, dict]:
    """The result to sign and the signature's labels: from the approved draft, with its signer's name and
    office; a dossier resolved without one (a denial, or resolved before drafts) prints the standard text."""
    draft = approved_draft(dossier)
    agency = dossier.competent_agency.name
    if draft is None:
        return render_result(dossier, verification_token), {"location": agency}
    pdf = drafts.render_draft(
        dossier,
        draft,
        signer_name=draft.signer_name,
        signer_title=draft.signer_title,
        verification_token=verification_token,
    )
    return pdf, {"signed_by": f"{draft.signer_name}, {draft.signer_title}", "location": agency}


def visible_result_draft(user: User, code: str, version: int | None = None) -> ResultDraft:
    """The dossier's draft (the latest version, or `version`) for the handler who writes it and the leader
    who signs it; not found outside what the user may see, or when there is none."""
    dossier = visible_dossier(user, code)
    check_may_preview_result(dossier, user)
    drafts_of = ResultDraft.objects.filter(dossier=dossier).select_related("author")
    draft = (
        drafts_of.filter(version=version) if version is not None else drafts_of.order_by("-version")
    ).first()
    if draft is None:
        raise NotFound("Hồ sơ chưa có dự thảo kết quả này.", "The dossier has no such result draft.")
    draft.dossier = dossier  # with what the result prints already joined
    return draft


def preview_result_draft(user: User, code: str, version: int | None = None) -> tuple[bytes, ResultDraft]:
    """The draft printed as the result will be (visible_result_draft says who may read it)."""
    draft = visible_result_draft(user, code, version)
    dossier = draft.dossier
    name, title = drafts.preview_signer(dossier, draft, user)
    return drafts.render_draft(dossier, draft, signer_name=name, signer_title=title), draft


def result_document(dossier: Dossier) -> Document | None:
    """The signed electronic result of the dossier, if issued (for printing or the citizen's download)."""
    return Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT, signed=True).first()


def issue_result_document(dossier_id: int) -> Document | None:
    """Render, sign and store the result once; a second call finds the document and changes nothing."""
    stored: list[str] = []
    try:
        return _issue_result_document(dossier_id, stored)
    except BaseException:
        for name in stored:  # the row was not committed: remove the file it would have pointed to
            default_storage.delete(name)
        raise


def _issue_result_document(dossier_id: int, stored: list[str]) -> Document | None:
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "competent_agency__parent", "receiving_agency__parent")
            .get(pk=dossier_id)
        )
        existing = Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT).first()
        if existing is not None:
            if dossier.e_result_status != Dossier.EResult.DONE:
                _set_e_result(dossier, Dossier.EResult.DONE)
            return existing
        if dossier.status not in RESULT_READY or dossier.outcome not in Outcome.values:
            log.warning(
                "Result not issued for %s: status %s, outcome %r",
                dossier.code,
                dossier.status,
                dossier.outcome,
            )
            return None
        token = new_verification_token()
        pdf, labels = render_signed_result(dossier, token)
        signed, info = sign_pdf(pdf, dossier.competent_agency.code, **labels)
        info["signed_at"] = timezone.now().isoformat()
        doc = Document(
            dossier=dossier,
            kind=Document.Kind.RESULT,
            name=f"ket-qua-{dossier.code}.pdf",
            content_type="application/pdf",
            size=len(signed),
            digitised=True,
            signed=True,
            sha256=hashlib.sha256(signed).hexdigest(),
            signature=info,
            verification_token=token,
        )
        doc.file.save(doc.name, ContentFile(signed), save=False)
        try:
            doc.save()
            record_event(
                dossier,
                "result_issued",
                note="Kết quả điện tử đã được ký số.",
                payload={
                    "document_id": doc.pk,
                    "sha256": doc.sha256,
                    "signer": info["signer"],
                    "signed_by": info["signed_by"],
                },
            )
            _set_e_result(dossier, Dossier.EResult.DONE)
            return_if_full_online(dossier)  # a full-online dossier's signed result is its return
        except BaseException:
            doc.file.storage.delete(doc.file.name)  # no orphan file when the row is not written
            raise
    return doc


def _set_e_result(dossier: Dossier, status: str, error: str = "") -> None:
    dossier.e_result_status, dossier.e_result_error = status, error
    if status != PENDING:
        dossier.e_result_claimed_until = None
    dossier.save(update_fields=[*E_RESULT_FIELDS, "updated_at"])


def _lease_end(seconds: float = 0) -> datetime:
    return timezone.now() + timedelta(seconds=seconds + settings.E_RESULT_LEASE_SECONDS)


def request_result(dossier: Dossier) -> None:
    """Make the dossier's result pending (the caller saves the row in its transaction) and queue its issuance
    once that commits. A broker that refuses the task is logged by config.jobs and ends the lease at once, so
    the next results sweep issues it; the change that asked for the result never fails for it."""
    dossier.e_result_status, dossier.e_result_error = PENDING, ""
    dossier.e_result_claimed_until = _lease_end()
    transaction.on_commit(partial(queue_result, dossier.pk))


def queue_result(dossier_id: int) -> bool:
    """Send the result's task now; when the broker refuses it, end the lease so the next sweep takes it."""
    if enqueue(ISSUE_RESULT_TASK, dossier_id):
        return True
    Dossier.objects.filter(pk=dossier_id, e_result_status=PENDING).update(
        e_result_claimed_until=timezone.now()
    )
    return False


def hold_result(dossier_id: int, seconds: float) -> None:
    """Keep the lease over a retry that waits `seconds`: the sweep is not to queue the result meanwhile."""
    Dossier.objects.filter(pk=dossier_id, e_result_status=PENDING).update(
        e_result_claimed_until=_lease_end(seconds)
    )


def due_results(now: datetime) -> Q:
    """Pending results whose lease has run out (index dossier_e_result_pending)."""
    lease_over = Q(e_result_claimed_until__isnull=True) | Q(e_result_claimed_until__lt=now)
    return Q(e_result_status=PENDING) & lease_over


def queue_due_results(batch: int = 100, max_batches: int = 50) -> int:
    """The results sweep: claim pending results with no task trusted to be on its way (lease run out), lease
    them again and queue their issuance; returns how many were queued. A result being issued right now is
    row-locked by its task and skipped. Its cost follows the pending results, not the dossiers."""
    queued = 0
    for _ in range(max_batches):
        now = timezone.now()
        with transaction.atomic():
            ids = list(
                Dossier.objects.select_for_update(skip_locked=True)
                .filter(due_results(now))
                .order_by("e_result_claimed_until")
                .values_list("pk", flat=True)[:batch]
            )
            Dossier.objects.filter(pk__in=ids).update(e_result_claimed_until=_lease_end())
        for dossier_id in ids:
            log.info("results sweep: queueing the e-result of dossier %s again", dossier_id)
            queued += queue_result(dossier_id)
        if len(ids) < batch:
            break
    return queued


def mark_result_failed(dossier_id: int, error: str) -> None:
    """After the last retry: the dossier page shows the error and an operator can retry."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        if dossier.e_result_status == Dossier.EResult.DONE:
            return
        _set_e_result(dossier, Dossier.EResult.FAILED, error[:2000])
        record_event(dossier, "result_failed", note=error[:500], public=False)


def retry_e_result(dossier: Dossier, actor: User | None = None) -> bool:
    """Queue the result again for a dossier whose issuance failed; False when there is nothing to retry.
    Forbidden unless workflow.may_reissue_result allows the actor."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        check_may_reissue_result(locked, actor)
        if locked.e_result_status == Dossier.EResult.DONE or locked.status not in RESULT_READY:
            return False
        request_result(locked)
        locked.save(update_fields=[*E_RESULT_FIELDS, "updated_at"])
        record_event(locked, "result_retry", actor=actor, public=False)
    return True


def verification_for_token(token: str) -> dict:
    """What the public verify page shows for the token printed on a result (its QR code): the result's
    dossier and the signature check. A dossier code, or any other guess, is not found."""
    token = (token or "").strip()
    doc = (
        Document.objects.select_related("dossier__procedure", "dossier__competent_agency")
        .filter(kind=Document.Kind.RESULT, signed=True, verification_token=token)
        .exclude(verification_token="")
        .first()
        if token
        else None
    )
    if doc is None:
        raise NotFound(
            "Không có kết quả điện tử đã ký số với mã kiểm tra này.",
            "No signed electronic result has this verification code.",
        )
    dossier = doc.dossier
    with default_storage.open(doc.file.name, "rb") as fh:
        verdict = verify_pdf(fh.read())
    return {
        "dossier_code": dossier.code,
        "procedure": dossier.procedure.name,
        "procedure_code": dossier.procedure.code,
        "agency": dossier.competent_agency.name,
        "outcome": dossier.get_outcome_display(),
        "sha256": doc.sha256,
        **verdict.as_dict(),
    }


def verify_upload(file) -> dict:
    """Check an uploaded PDF and, when it is one of our results, name the dossier it belongs to."""
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput("Tệp quá lớn.", "The file is too large.", code="file_too_large")
    content = file.read()
    result = verify_pdf(content).as_dict()
    doc = (
        Document.objects.select_related("dossier__procedure")
        .filter(sha256=hashlib.sha256(content).hexdigest(), kind=Document.Kind.RESULT)
        .first()
    )
    result["dossier_code"] = doc.dossier.code if doc else ""
    result["procedure"] = doc.dossier.procedure.name if doc else ""
    return result
