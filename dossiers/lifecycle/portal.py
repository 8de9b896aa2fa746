"""The citizen's writes in the portal: drafts kept on the server, online submission, answering a supplement
request, withdrawing and rating. Each checks that the dossier or draft is the citizen's own, then goes through
the intake and action services (and the upload checks) that every other door uses."""

from __future__ import annotations

import os
from functools import partial

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import Agency, User
from config.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from dossiers.documents.uploads import (
    attach_component,
    check_file,
    clean_file_name,
    reusable_documents,
    reuse_document,
)
from dossiers.lifecycle.actions import perform, rate_satisfaction
from dossiers.lifecycle.intake import _check_procedure, submit_online
from dossiers.models import Document, Dossier, DraftComponent, OnlineDraft, Status
from dossiers.selectors.portal import asked_of
from procedures.models import DocumentRequirement, Procedure

# What a draft keeps of the applicant, with the longest value each field takes.
DRAFT_FIELDS = {
    "applicant_phone": 20,
    "applicant_email": 254,
    "applicant_address": 500,
    "subject": 5000,
}
# Without a verified personal ID on the account (an account made before the national sign-in), the citizen
# types the name and ID themselves; the intake validation checks them on submission.
IDENTITY_FIELDS = {"applicant_name": 255, "applicant_id_number": 12}


def _signed_in(user: User | None) -> User:
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(
            "Cần đăng nhập để nộp hồ sơ trực tuyến.", "Sign in to file online.", code="not_signed_in"
        )
    return user


def _last_contact(user: User) -> dict:
    """Contact details of the citizen's latest online dossier, to prefill a new draft."""
    last = (
        Dossier.objects.filter(applicant_user_id=user.pk)
        .order_by("-id")
        .values("applicant_email", "applicant_address", "applicant_phone")
        .first()
    )
    return last or {}


def start_draft(user: User, procedure: Procedure, agency: Agency) -> OnlineDraft:
    """A new draft for the procedure at the agency, prefilled from the account (its verified identity) and
    the citizen's latest dossier (address, e-mail)."""
    user = _signed_in(user)
    if procedure.online_level == Procedure.OnlineLevel.NONE:
        raise InvalidInput(
            "Thủ tục này không nhận hồ sơ trực tuyến.",
            "This procedure is not offered online.",
            fields={"procedure": field_error("Không trực tuyến.", "Not online.")},
        )
    _check_procedure(procedure, agency)
    last = _last_contact(user)
    return OnlineDraft.objects.create(
        user=user,
        procedure=procedure,
        agency=agency,
        applicant_name=user.display_name[:255] if user.national_id else (user.full_name or "")[:255],
        applicant_id_number=user.national_id,
        applicant_phone=user.phone or last.get("applicant_phone", ""),
        applicant_email=user.email or last.get("applicant_email", ""),
        applicant_address=last.get("applicant_address", ""),
        subject=procedure.name[:5000],
    )


def _own_draft(user: User, draft: OnlineDraft | int, *, lock: bool = False) -> OnlineDraft:
    user = _signed_in(user)
    pk = draft.pk if isinstance(draft, OnlineDraft) else draft
    rows = OnlineDraft.objects.select_for_update() if lock else OnlineDraft.objects
    found = rows.filter(pk=pk, user_id=user.pk).first()
    if found is None:
        raise NotFound("Không tìm thấy hồ sơ nháp.", "Draft not found.")
    return found


def save_draft(user: User, draft: OnlineDraft | int, data: dict) -> OnlineDraft:
    """Keep what the citizen typed so far (checked in full on submission); too long a value is refused."""
    with transaction.atomic():
        found = _own_draft(user, draft, lock=True)
        fields = dict(DRAFT_FIELDS)
        if not found.user.national_id:
            fields.update(IDENTITY_FIELDS)
        errors = {}
        for name, limit in fields.items():
            if name not in data:
                continue
            value = (
                " ".join(str(data.get(name) or "").replace("\x00", "").split())
                if name != "subject"
                else (str(data.get(name) or "").replace("\x00", "").strip())
            )
            if len(value) > limit:
                errors[name] = field_error(
                    f"Quá dài (tối đa {limit} ký tự).", f"Too long ({limit} characters at most)."
                )
            setattr(found, name, value)
        if errors:
            raise InvalidInput("Thông tin chưa hợp lệ.", "Some details are not valid.", fields=errors)
        found.save()
    return found


def _draft_requirement(draft: OnlineDraft, requirement_id) -> DocumentRequirement:
    try:
        pk = int(requirement_id)
    except (TypeError, ValueError):
        pk = 0
    requirement = DocumentRequirement.objects.filter(pk=pk, procedure_id=draft.procedure_id).first()
    if requirement is None:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục này.",
            "The component does not belong to this procedure.",
            fields={"requirement": field_error("Không hợp lệ.", "Invalid.")},
        )
    return requirement


def _replace(draft: OnlineDraft, requirement: DocumentRequirement) -> None:
    """Drop the requirement's earlier component of the draft (its file once the change commits)."""
    for old in DraftComponent.objects.filter(draft=draft, requirement=requirement):
        if old.file and not old.reused_from_id:
            transaction.on_commit(partial(default_storage.delete, old.file.name))
        old.delete()


def attach_to_draft(user: User, draft: OnlineDraft | int, requirement_id, file) -> DraftComponent:
    """A component uploaded into the draft, with the upload checks every dossier file passes (size, type by
    content, no active PDF content, the requirement's formats); it replaces the requirement's earlier one."""
    found = _own_draft(user, draft)
    requirement = _draft_requirement(found, requirement_id)
    if file is None:
        raise InvalidInput(
            "Chưa chọn tệp.",
            "No file chosen.",
            fields={"file": field_error("Chưa chọn tệp.", "No file chosen.")},
        )
    mime, sha256, size = check_file(file, requirement)
    stored = ""
    try:
        with transaction.atomic():
            found = _own_draft(user, found, lock=True)
            _replace(found, requirement)
            component = DraftComponent(
                draft=found,
                requirement=requirement,
                name=(clean_file_name(file.name) or requirement.name)[:500],
                content_type=mime,
                size=size,
                sha256=sha256,
            )
            extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[mime]
            component.file.save(f"{requirement.order:02d}-{sha256[:16]}.{extension}", file, save=False)
            stored = component.file.name
            component.save()
            found.save(update_fields=["updated_at"])
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return component


def _probe(draft: OnlineDraft) -> Dossier:
    """An unsaved dossier standing for the draft, so that the one reuse rule (uploads.reusable_documents)
    applies to it."""
    return Dossier(applicant_id_number=draft.applicant_id_number, procedure_id=draft.procedure_id)


def draft_reusable(user: User, draft: OnlineDraft) -> list[Document]:
    """The citizen's digitised documents from their earlier dossiers that the draft may reuse."""
    if not draft.applicant_id_number:
        return []
    return list(reusable_documents(_probe(draft), user)[:50])


def reuse_in_draft(user: User, draft: OnlineDraft | int, requirement_id, document_id) -> DraftComponent:
    """Mark an earlier digitised document as the draft's component (attached by reference on submission)."""
    with transaction.atomic():
        found = _own_draft(user, draft, lock=True)
        requirement = _draft_requirement(found, requirement_id)
        try:
            pk = int(document_id)
        except (TypeError, ValueError):
            pk = 0
        source = (
            reusable_documents(_probe(found), user).filter(pk=pk).first()
            if found.applicant_id_number
            else None
        )
        if source is None:
            raise InvalidInput(
                "Tài liệu này không thuộc dữ liệu số của Ông/Bà.",
                "This document is not part of your digitised data.",
                code="not_reusable",
                fields={"document": field_error("Không hợp lệ.", "Invalid.")},
            )
        _replace(found, requirement)
        component = DraftComponent.objects.create(
            draft=found,
            requirement=requirement,
            name=source.name[:500],
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            reused_from=source,
        )
        found.save(update_fields=["updated_at"])
    return component


def remove_from_draft(user: User, draft: OnlineDraft | int, requirement_id) -> None:
    with transaction.atomic():
        found = _own_draft(user, draft, lock=True)
        _replace(found, _draft_requirement(found, requirement_id))
        found.save(update_fields=["updated_at"])


def delete_draft(user: User, draft: OnlineDraft | int) -> None:
    with transaction.atomic():
        found = _own_draft(user, draft, lock=True)
        for component in found.components.all():
            if component.file and not component.reused_from_id:
                transaction.on_commit(partial(default_storage.delete, component.file.name))
        found.delete()


def submit_draft(user: User, draft: OnlineDraft | int) -> Dossier:
    """File the draft: the dossier is coded and submitted (status 1, submit_online), each component attached
    with the upload checks or reused by reference (which marks the dossier's reuse and digitisation), the
    receipt goes out through the outbox, and the draft is gone. All or nothing."""
    with transaction.atomic():
        found = _own_draft(user, draft, lock=True)
        components = list(found.components.select_related("requirement", "reused_from"))
        dossier = submit_online(
            applicant_user=found.user,
            agency=found.agency,
            procedure=found.procedure,
            applicant=found.applicant(),
            provided_requirement_ids=[c.requirement_id for c in components],
            subject=found.subject,
        )
        for component in components:
            if component.reused_from_id:
                reuse_document(dossier, component.reused_from, component.requirement, found.user)
                continue
            with default_storage.open(component.file.name, "rb") as handle:
                upload = File(handle, name=component.name or os.path.basename(component.file.name))
                attach_component(dossier, component.requirement, upload, found.user)
            transaction.on_commit(partial(default_storage.delete, component.file.name))
        found.delete()
    return dossier


# --- the citizen's own dossier ---


def _own_dossier(user: User, dossier: Dossier) -> Dossier:
    user = _signed_in(user)
    if not (dossier.applicant_user_id and dossier.applicant_user_id == user.pk):
        raise NotFound("Không tìm thấy hồ sơ.", "Dossier not found.")
    return dossier


def answer_supplement(
    user: User,
    dossier: Dossier,
    files: dict[int, object],
    reused: dict[int, int] | None = None,
    note: str = "",
) -> Dossier:
    """The citizen answers a supplement request online: a file (uploaded or reused) for every component
    asked for, then the supplement action resumes the clock. All or nothing."""
    dossier = _own_dossier(user, dossier)
    reused = reused or {}
    if dossier.status != Status.SUPPLEMENT_REQUESTED:
        raise Conflict(
            "Hồ sơ không ở trạng thái chờ bổ sung.",
            "The dossier is not waiting for a supplement.",
            code="action_not_allowed",
            status=dossier.status,
        )
    asked = asked_of(dossier)
    wanted = set(asked.requirement_ids)
    given = {int(k) for k in files} | {int(k) for k in reused}
    lacking = [m for m in asked.missing if m.get("requirement_id") and m["requirement_id"] not in given]
    if lacking or (wanted and not given):
        names = "; ".join(m.get("name", "") for m in lacking) or "—"
        raise InvalidInput(
            f"Cần gửi đủ các thành phần được yêu cầu bổ sung: {names}.",
            f"Send every component asked for: {names}.",
            code="components_missing",
            fields={"files": field_error(f"Còn thiếu: {names}.", f"Missing: {names}.")},
        )
    by_id = {r.pk: r for r in dossier.procedure.requirements.all()}
    unknown = given - set(by_id)
    if unknown:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục này.",
            "The component does not belong to this procedure.",
            fields={"files": field_error("Không hợp lệ.", "Invalid.")},
        )
    with transaction.atomic():
        for requirement_id, upload in files.items():
            attach_component(dossier, by_id[int(requirement_id)], upload, user)
        for requirement_id, document_id in reused.items():
            source = reusable_documents(dossier, user).filter(pk=document_id).first()
            if source is None:
                raise InvalidInput(
                    "Tài liệu này không thuộc dữ liệu số của Ông/Bà.",
                    "This document is not part of your digitised data.",
                    code="not_reusable",
                )
            reuse_document(dossier, source, by_id[int(requirement_id)], user)
        provided = sorted(given & wanted) or sorted(given)
        return perform(dossier.code, "supplement", user, {"provided_requirement_ids": provided, "note": note})


def withdraw(user: User, dossier: Dossier, reason: str) -> Dossier:
    """The citizen withdraws their own dossier, giving the reason (the workflow says when they may)."""
    dossier = _own_dossier(user, dossier)
    return perform(dossier.code, "withdraw", user, {"reason": reason})


def rate(user: User, dossier: Dossier, value: str) -> Dossier:
    """Five levels, once, after the result is returned (actions.rate_satisfaction)."""
    dossier = _own_dossier(user, dossier)
    return rate_satisfaction(dossier.code, value, applicant=user)
