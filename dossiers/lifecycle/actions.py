"""Every action on an existing dossier: one write path that locks the row, checks the table, acts, logs."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from accounts.scoping import memberships
from config.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from dossiers.documents.drafts import signer_title
from dossiers.documents.issuing import request_result
from dossiers.documents.results import template_for
from dossiers.lifecycle import clock
from dossiers.lifecycle.deadlines import supplement_response_due, validate_new_appointment
from dossiers.lifecycle.e_return import apply_electronic_return
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.supplements import open_request
from dossiers.lifecycle.validation import missing_required, validate_missing_list
from dossiers.lifecycle.workflow import check_allowed, clean_inputs
from dossiers.models import Channel, Dossier, DossierStep, Outcome, ResultDraft, Status
from procedures.calendar import end_of_office_day, local
from procedures.fees import dossier_fee


def lock(dossier: Dossier | str | int) -> Dossier:
    """The dossier re-read under a row lock (by instance, code or id); the caller holds a transaction."""
    if isinstance(dossier, Dossier):
        lookup = {"pk": dossier.pk}
    elif isinstance(dossier, int):
        lookup = {"pk": dossier}
    else:
        lookup = {"code": dossier}
    # Lock first, then read: a read joined to other tables in the locking statement could see those rows
    # as they were before the lock was granted.
    pk = Dossier.objects.select_for_update().filter(**lookup).values_list("pk", flat=True).first()
    if pk is not None:
        return Dossier.objects.select_related(
            "procedure", "receiving_agency", "competent_agency", "current_step"
        ).get(pk=pk)
    raise NotFound("Không tìm thấy hồ sơ.", "Dossier not found.")


def perform(
    dossier: Dossier | str,
    action: str,
    actor: User | None,
    data: dict | None = None,
    *,
    at: datetime | None = None,
) -> Dossier:
    """Perform `action` on the dossier as `actor` with the action's payload (see workflow.ACTION_INPUTS).

    The row is locked and the status re-checked inside the transaction, so of two conflicting actions at once
    exactly one succeeds and the other gets a Conflict naming what is still allowed. `at` (default now) is
    when the action happens; only system work such as the demo seeding, which replays past days, gives it.
    """
    now = at or timezone.now()
    with transaction.atomic():
        d = lock(dossier)
        spec = check_allowed(d, action, actor)
        inputs = clean_inputs(action, data or {}, today=local(now).date())
        before = d.status
        payload, note = HANDLERS[action](d, actor, inputs, now)
        d.save()
        record_event(
            d,
            action,
            actor=actor,
            from_status=before,
            to_status=d.status,
            note=note,
            payload=payload,
            at=now,
            public=spec.public,
        )
    return d


def expire_supplement(dossier_id: int) -> Dossier | None:
    """System: a supplement request whose response deadline passed stops the dossier. Idempotent: a dossier
    no longer waiting (or not yet overdue) is left alone and None is returned."""
    now = timezone.now()
    with transaction.atomic():
        d = lock(dossier_id)
        if d.status != Status.SUPPLEMENT_REQUESTED or not d.supplement_due_at or d.supplement_due_at > now:
            return None
        payload, note = _expire_supplement(d, None, {}, now)
        d.save()
        record_event(
            d,
            "expire_supplement",
            actor=None,
            from_status=Status.SUPPLEMENT_REQUESTED,
            to_status=d.status,
            note=note,
            payload=payload,
            at=now,
        )
    return d


def confirm_online_payment(dossier_id: int, *, transaction_code: str, amount: int) -> Dossier | None:
    """System: the payment platform's verified confirmation pays the fee online. Idempotent: a dossier no
    longer awaiting payment, or awaiting another amount, is left alone and None is returned. The caller
    (lifecycle.payments) holds the transaction's row lock, so one confirmation acts once."""
    now = timezone.now()
    with transaction.atomic():
        d = lock(dossier_id)
        if d.status != Status.AWAITING_PAYMENT or d.fee_amount != amount:
            return None
        note = f"Đã thanh toán trực tuyến qua Nền tảng thanh toán, mã giao dịch {transaction_code}"
        payload, note = _confirm_payment(d, None, {"online": True, "note": note}, now)
        d.save()
        record_event(
            d,
            "confirm_payment",
            actor=None,
            from_status=Status.AWAITING_PAYMENT,
            to_status=d.status,
            note=note,
            payload={**payload, "transaction": transaction_code},
            at=now,
        )
    return d


def rate_satisfaction(dossier: Dossier | int | str, value: str, *, applicant: User | None = None) -> Dossier:
    """The applicant rates the service on five levels, once per dossier, after the result is returned;
    recorded as a public event.

    Not a workflow action. Two ways to prove the dossier is theirs: the tracking PIN (dossiers.public.tracking
    checks it and calls this without `applicant`), or signing in as the applicant who filed it (`applicant`,
    checked here)."""
    if value not in Dossier.Satisfaction.values:
        raise InvalidInput(
            "Vui lòng chọn một mức độ hài lòng.",
            "Choose a satisfaction level.",
            fields={"satisfaction": field_error("Chọn một mức.", "Choose one level.")},
        )
    with transaction.atomic():
        d = lock(dossier)
        if applicant is not None and not (d.applicant_user_id and d.applicant_user_id == applicant.pk):
            raise Forbidden(
                "Chỉ người nộp hồ sơ mới được đánh giá.",
                "Only the applicant may rate this dossier.",
                code="not_applicant",
            )
        if d.status != Status.RETURNED:
            raise Conflict(
                "Chỉ đánh giá được sau khi đã nhận kết quả.",
                "You can rate only after the result is returned.",
                code="not_returned",
            )
        if d.satisfaction:
            raise Conflict(
                "Hồ sơ này đã được đánh giá.", "This dossier has already been rated.", code="already_rated"
            )
        d.satisfaction = value
        d.save(update_fields=["satisfaction", "updated_at"])
        record_event(
            d,
            "rate",
            actor=applicant,
            payload={"satisfaction": value, "via": "account" if applicant else "tracking"},
            public=True,
        )
    return d


# --- one handler per action: change the dossier, return (event payload, event note) -----------------------


def _receive(d: Dossier, actor, inp: dict, now: datetime):
    d.received_by = actor
    clock.start_clock(d, now)
    d.receive()
    d.save()
    clock.create_steps(d, now, actor)
    return {
        "due_at": clock.iso(d.due_at),
        "to_name": d.receiving_agency.name,
        "assignee_name": actor.display_name,
    }, ""


def _finish(d: Dossier, now: datetime, reason: str) -> None:
    d.finished_at = now
    d.outcome_note = reason
    d.paused_at = None
    clock.finish_open_steps(d, now)


def _refuse_intake(d: Dossier, actor, inp: dict, now: datetime):
    _finish(d, now, inp["reason"])
    d.refuse_intake()
    return {"reason": inp["reason"]}, inp["reason"]


def _forward(d: Dossier, actor, inp: dict, now: datetime):
    current = DossierStep.objects.select_related("agency", "assignee").get(pk=d.current_step_id)
    nxt = (
        DossierStep.objects.select_related("agency")
        .filter(dossier=d, order__gt=current.order)
        .order_by("order")
        .first()
    )
    if inp["to_user"] is not None:
        to_user = User.objects.filter(pk=inp["to_user"], is_active=True).first()
        if to_user is None or (nxt.agency_id, nxt.role) not in memberships(to_user):
            raise InvalidInput(
                "Người nhận không giữ vai trò của bước tiếp theo tại cơ quan xử lý.",
                "The recipient does not hold the next step's role in its agency.",
                fields={"to_user": field_error("Người nhận không phù hợp.", "Unsuitable recipient.")},
            )
    else:
        to_user = clock.least_busy_holder(nxt.agency_id, nxt.role)
    current.finished_at = now
    current.save(update_fields=["finished_at"])
    # finished_at is cleared for a step handed over to again (a draft sent back and submitted once more)
    nxt.started_at, nxt.finished_at, nxt.assignee = now, None, to_user
    nxt.save(update_fields=["started_at", "finished_at", "assignee"])
    d.current_step, d.assignee = nxt, to_user
    d.forward()
    to_name = f"{nxt.agency.name} – {to_user.display_name}" if to_user else nxt.agency.name
    return {
        "from_step": current.name,
        "to_step": nxt.name,
        "to_step_name": nxt.name,
        "from_unit": current.agency.name,
        "to_unit": nxt.agency.name,
        "from_user": current.assignee_id,
        "from_user_name": current.assignee.display_name if current.assignee else "",
        "to_user": to_user.pk if to_user else None,
        "to_user_name": to_user.display_name if to_user else "",
        "to_name": to_name,
        "step_due_at": clock.iso(nxt.due_at),
    }, inp["note"] or ""


def _pause_for_supplement(d: Dossier, missing: list[dict], now: datetime, *, at_intake: bool) -> dict:
    """Pause the clock for a supplement; the payload records whether the dossier was incomplete at intake
    (its clock then restarts on completion) or is paused (its due date moves by the paused working days)."""
    clock.pause(d, now)
    d.supplement_count += 1
    d.supplement_due_at = supplement_response_due(now)
    d.request_supplement()
    return {
        "missing": missing,
        "supplement_due_at": clock.iso(d.supplement_due_at),
        "at_intake": at_intake,
        "clock": clock.RESTART if at_intake else clock.PAUSE,
    }


def request_supplement_now(d: Dossier, actor, missing: list[dict], note: str, now: datetime) -> None:
    """The counter intake's own supplement list (the dossier is incomplete at intake), every missing
    component at once: the clock restarts when the dossier is complete."""
    before = d.status
    payload = _pause_for_supplement(d, missing, now, at_intake=True)
    d.save()
    record_event(d, "request_supplement", actor=actor, from_status=before, note=note, at=now, payload=payload)


def _request_supplement(d: Dossier, actor, inp: dict, now: datetime):
    # A request by a clerk or handler after intake pauses the clock, even while the dossier is still at the
    # receiving step: the dossier was accepted as complete, so the time already spent is not given back.
    missing = validate_missing_list(d.procedure, inp["missing"])
    return _pause_for_supplement(d, missing, now, at_intake=False), inp["note"] or ""


def _supplement(d: Dossier, actor, inp: dict, now: datetime):
    provided = inp["provided_requirement_ids"] or []
    missing_required(d.procedure, provided)  # refuses ids of another procedure
    paused_by = clock.pausing_event(d)
    request = open_request(d, paused_by)
    if request and request.requirement_ids and not set(provided) <= request.requirement_ids:
        raise InvalidInput(
            "Chỉ nhận các thành phần đã yêu cầu bổ sung.",
            "Only the components that were asked for can be received as the supplement.",
            fields={
                "provided_requirement_ids": field_error(
                    "Thành phần không nằm trong yêu cầu bổ sung.", "Not in the supplement request."
                )
            },
        )
    back_to = clock.status_before_pause(d, paused_by)
    change = clock.resume(d, now, restart=clock.restarts_on_completion(paused_by))
    d.supplement_due_at = None
    d.supplement(target=back_to)
    return {**change, "provided_requirement_ids": sorted(provided)}, inp["note"] or ""


def _expire_supplement(d: Dossier, actor, inp: dict, now: datetime):
    reason = "Quá hạn bổ sung hồ sơ mà người nộp chưa bổ sung."
    _finish(d, now, reason)
    d.expire_supplement()
    return {"reason": reason}, reason


def _request_payment(d: Dossier, actor, inp: dict, now: datetime):
    amount = inp["amount"]
    if amount is None:
        amount = dossier_fee(d.procedure, online=d.channel == Channel.ONLINE)
    if amount is None:
        raise InvalidInput(
            "Thủ tục thu phí theo bản hoặc trang: hãy nhập số tiền.",
            "The fee is counted per copy or page: enter the amount.",
            fields={"amount": field_error("Trường này là bắt buộc.", "This field is required.")},
        )
    if amount == 0:
        raise InvalidInput(
            "Thủ tục không thu phí, lệ phí: không cần yêu cầu nộp phí.",
            "The procedure charges no fee: there is nothing to pay.",
            fields={"amount": field_error("Số tiền phải lớn hơn 0.", "The amount must be above 0.")},
        )
    clock.pause(d, now)
    d.fee_amount = amount
    d.request_payment()
    return {"amount": amount}, inp["note"] or ""


def _confirm_payment(d: Dossier, actor, inp: dict, now: datetime):
    back_to = clock.status_before_pause(d)
    change = clock.resume(d, now, restart=False)
    d.paid_at, d.paid_online = now, bool(inp.get("online"))
    d.confirm_payment(target=back_to)
    return {**change, "online": d.paid_online, "amount": d.fee_amount}, inp["note"] or ""


def _apologize(d: Dossier, actor, inp: dict, now: datetime):
    new_due = end_of_office_day(inp["new_due_date"])
    validate_new_appointment(d.due_at, new_due)  # after today and within the horizon: clean_inputs
    old_due = d.due_at
    clock.move_appointment(d, new_due)
    d.apology_count += 1
    d.apologize()
    return {
        "reason": inp["reason"],
        "old_due_at": clock.iso(old_due),
        "new_due_at": clock.iso(new_due),
        "apology_number": d.apology_count,
    }, inp["reason"]


def _withdraw(d: Dossier, actor, inp: dict, now: datetime):
    _finish(d, now, inp["reason"])
    d.withdraw()
    return {"reason": inp["reason"]}, inp["reason"]


def _stop(d: Dossier, actor, inp: dict, now: datetime):
    _finish(d, now, inp["reason"])
    d.stop()
    return {"reason": inp["reason"], "legal_ground": inp["legal_ground"]}, inp["reason"]


def latest_draft(d: Dossier) -> ResultDraft | None:
    return ResultDraft.objects.filter(dossier=d).select_related("author").order_by("-version").first()


def _draft_result(d: Dossier, actor, inp: dict, now: datetime):
    """A new version of the result's draft, on the template of the procedure's result kind."""
    template = template_for(d.procedure.result_kind)
    content = {f.name: inp.get(f.name) or "" for f in template.fields}
    missing = [name for name in template.required if not content[name]]
    if missing:
        raise InvalidInput(
            "Dự thảo còn thiếu nội dung bắt buộc.",
            "The draft lacks required content.",
            fields={n: field_error("Trường này là bắt buộc.", "This field is required.") for n in missing},
        )
    previous = latest_draft(d)
    version = previous.version + 1 if previous else 1
    draft = ResultDraft.objects.create(
        dossier=d, version=version, kind=template.kind, content=content, author=actor, created_at=now
    )
    return {"draft_id": draft.pk, "version": version, "kind": template.kind}, f"Dự thảo phiên bản {version}"


def _send_back(d: Dossier, actor, inp: dict, now: datetime):
    """The leader returns the dossier to the handler's step with what to correct; the handler who wrote the
    latest draft gets it back when they still hold that step's role."""
    current = DossierStep.objects.select_related("agency").get(pk=d.current_step_id)
    back = (
        DossierStep.objects.select_related("agency", "assignee")
        .filter(dossier=d, order__lt=current.order, role="handler")
        .order_by("-order")
        .first()
    )
    draft = latest_draft(d)
    candidates = [draft.author if draft else None, back.assignee]
    to_user = next(
        (
            u
            for u in candidates
            if u is not None and u.is_active and (back.agency_id, back.role) in memberships(u)
        ),
        None,
    ) or clock.least_busy_holder(back.agency_id, back.role)
    d.send_back()  # its condition reads the step being left
    current.finished_at = now
    current.save(update_fields=["finished_at"])
    back.started_at, back.finished_at, back.assignee = now, None, to_user
    back.save(update_fields=["started_at", "finished_at", "assignee"])
    d.current_step, d.assignee = back, to_user
    to_name = f"{back.agency.name} – {to_user.display_name}" if to_user else back.agency.name
    return {
        "note": inp["note"],
        "from_step": current.name,
        "to_step": back.name,
        "to_step_name": back.name,
        "from_unit": current.agency.name,
        "to_unit": back.agency.name,
        "from_user_name": actor.display_name,
        "to_user": to_user.pk if to_user else None,
        "to_user_name": to_user.display_name if to_user else "",
        "to_name": to_name,
        "draft_version": draft.version if draft else None,
    }, inp["note"]


def _approve_draft(d: Dossier, actor, version: int, now: datetime) -> ResultDraft:
    """The version the leader previewed becomes the result: it must still be the latest one."""
    draft = latest_draft(d)
    if draft is None:
        raise Conflict(
            "Hồ sơ chưa có dự thảo kết quả để phê duyệt; hãy trả lại chuyên viên.",
            "The dossier has no result draft to approve; send it back to the handler.",
            code="no_draft",
        )
    if draft.version != version:
        raise Conflict(
            f"Dự thảo đã có phiên bản {draft.version} mới hơn bản {version} đã xem; hãy xem trước lại.",
            f"The draft has a newer version {draft.version} than the version {version} previewed; "
            "preview it again.",
            code="draft_changed",
            draft_version=draft.version,
        )
    title = signer_title(actor, d.competent_agency_id)
    draft.approved_by, draft.approved_at = actor, now
    draft.signer_name, draft.signer_title = actor.display_name, title
    draft.save(update_fields=["approved_by", "approved_at", "signer_name", "signer_title"])
    return draft


def _resolve(d: Dossier, actor, inp: dict, now: datetime):
    approved = None
    if inp["outcome"] == Outcome.APPROVED:
        approved = _approve_draft(d, actor, inp["draft_version"], now)
    d.outcome, d.outcome_note = inp["outcome"], inp["reason"] or ""
    d.resolved_at = d.finished_at = now
    request_result(d)  # issued after commit; beat's results sweep catches up on one the broker lost
    if d.current_step_id:
        DossierStep.objects.filter(pk=d.current_step_id).update(finished_at=now)
        last = (
            DossierStep.objects.filter(dossier=d, order__gt=d.current_step.order, role="clerk")
            .order_by("-order")
            .first()
        )
        if last:  # the result goes back to the counter
            last.started_at, last.assignee_id = now, d.received_by_id
            last.save(update_fields=["started_at", "assignee"])
            d.current_step, d.assignee_id = last, d.received_by_id
    d.resolve()
    with translation.override("vi"):  # the audit trail is kept in Vietnamese
        label = str(Outcome(d.outcome).label)
    payload = {"outcome": d.outcome, "reason": d.outcome_note}
    if approved is not None:
        payload.update(
            draft_version=approved.version,
            signer_name=approved.signer_name,
            signer_title=approved.signer_title,
        )
    return payload, d.outcome_note or label


def _return_result(d: Dossier, actor, inp: dict, now: datetime):
    d.return_method, d.returned_at = inp["method"], now
    clock.finish_open_steps(d, now)
    d.return_result()
    return {"method": d.return_method}, inp["note"] or ""


def _return_electronic(d: Dossier, actor, inp: dict, now: datetime):
    return apply_electronic_return(d, now), ""


def _submit(d: Dossier, actor, inp: dict, now: datetime):
    d.submitted_at = now
    d.submit()
    return {}, ""


HANDLERS = {
    "submit": _submit,
    "receive": _receive,
    "refuse_intake": _refuse_intake,
    "forward": _forward,
    "draft_result": _draft_result,
    "send_back": _send_back,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "expire_supplement": _expire_supplement,
    "request_payment": _request_payment,
    "confirm_payment": _confirm_payment,
    "apologize": _apologize,
    "withdraw": _withdraw,
    "stop": _stop,
    "resolve": _resolve,
    "return_result": _return_result,
    "return_electronic": _return_electronic,
}
