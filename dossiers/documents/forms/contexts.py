"""Context builders for the forms of Circular 03/2025/TT-VPCP, reading the dossier and its audit events."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime

from accounts.models import Membership, Role, User
from dossiers.documents.forms.render import issued_on_text, place_of, qr_data_uri, tracking_url, verify_url
from dossiers.lifecycle.labels import event_label
from dossiers.models import Channel, Document, Dossier, DossierEvent, Status
from procedures.calendar import CUTOFF_NOT_APPLIED, RECEIPT_DAY, start_rule, start_rule_text

ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "submit": "Nộp hồ sơ trực tuyến",
    "refuse_intake": "Từ chối tiếp nhận",
    "forward": "Chuyển xử lý",
    "send_back": "Trả lại chuyên viên",
    "hand_over": "Bàn giao hồ sơ",
    "assign": "Phân công xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Nhận hồ sơ bổ sung",
    "expire_supplement": "Hết hạn bổ sung",
    "request_payment": "Yêu cầu nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận nộp phí",
    "apologize": "Xin lỗi, đề nghị gia hạn",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng giải quyết",
    "resolve": "Đã có kết quả giải quyết",
    "result_issued": "Phát hành kết quả điện tử",
    "return_result": "Trả kết quả",
    "return_electronic": "Trả kết quả điện tử",
    "document_attached": "Đính kèm thành phần hồ sơ",
    "document_reused": "Tái sử dụng dữ liệu số",
}
# The rows of Mẫu 06: the moves of the dossier between hands and units, not its attachments or notices.
HANDOVER_ACTIONS = (
    "receive",
    "forward",
    "send_back",
    "hand_over",
    "assign",
    "request_supplement",
    "supplement",
    "expire_supplement",
    "request_payment",
    "confirm_payment",
    "apologize",
    "withdraw",
    "stop",
    "resolve",
    "return_result",
    "return_electronic",
)
# Events whose payload lists the components the centre took in: intake (counter or online) and supplements.
INTAKE_ACTIONS = ("receive", "submit", "supplement")
STOP_ACTIONS = ("stop", "expire_supplement")
REASON_KEYS = ("reason", "reason_vi", "note")


def _when(value) -> datetime | None:
    if not value or isinstance(value, datetime):
        return value
    return parse_datetime(str(value)) or (
        datetime.combine(parse_date(str(value)), datetime.min.time()) if parse_date(str(value)) else None
    )


def latest_event(dossier: Dossier, *actions: str) -> DossierEvent | None:
    return dossier.events.filter(action__in=actions).order_by("-at", "-id").first()


def reason_of(event: DossierEvent | None, fallback: str = "") -> str:
    if event is None:
        return fallback
    for key in REASON_KEYS:
        if event.payload.get(key):
            return str(event.payload[key])
    return event.note or fallback


def serial(dossier: Dossier) -> str:
    """The short number printed after "Số:": the daily sequence that ends the dossier code."""
    return dossier.code.rsplit("-", 1)[-1]


def processing_time(procedure) -> str:
    if procedure.time_unit == procedure.TimeUnit.SAME_DAY:
        return "Trong ngày"
    unit = "ngày làm việc" if procedure.time_unit == procedure.TimeUnit.WORKING_DAYS else "ngày"
    return f"{procedure.processing_days} {unit}"


def agency_leader(agency, drafted_by: User | None = None) -> User | None:
    """Who signs a letter of the agency (Mẫu 04, 05): the official who acted, when a leader of that agency;
    otherwise the agency's first active leader (oldest membership): a handler drafts, never signs."""
    leaders = Membership.objects.filter(agency=agency, role=Role.LEADER, user__is_active=True)
    if drafted_by is not None and leaders.filter(user=drafted_by).exists():
        return drafted_by
    first = leaders.select_related("user").order_by("id").first()
    return first.user if first else None


def _signer(agency, event: DossierEvent | None) -> dict:
    leader = agency_leader(agency, event.actor if event is not None and event.actor_id else None)
    return {
        "signer_name": leader.display_name if leader else "",
        "signer_title": f"{Role.LEADER.label} {agency.name}",
    }


def base_context(dossier: Dossier, agency, form_number: str, number: str, *, page_size: str = "A5") -> dict:
    return {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "agency": agency,
        "competent": dossier.competent_agency,
        "form_number": form_number,
        "number": number,
        "place": place_of(agency),
        "issued_on_text": issued_on_text(),
        "page_size": page_size,
        "tracking_url": tracking_url(dossier.code),
        "processing_time": processing_time(dossier.procedure),
    }


def _with_qr(ctx: dict) -> dict:
    ctx["qr"] = qr_data_uri(ctx["tracking_url"])
    return ctx


def received_components(dossier: Dossier) -> list[dict]:
    """The components the centre actually took in, in catalogue order, with how many of each kind.

    A component counts when an intake or supplement event lists it, or a file was uploaded for it. Paper
    handed over at the counter (or by post) counts the catalogue's originals and certified copies; a file
    filed online or uploaded counts as a copy (bản chụp), one per file."""
    on_paper, online = set(), set()
    for action, payload in dossier.events.filter(action__in=INTAKE_ACTIONS).values_list("action", "payload"):
        ids = {int(i) for i in (payload or {}).get("provided_requirement_ids") or [] if str(i).isdigit()}
        (online if action == "submit" or dossier.channel == Channel.ONLINE else on_paper).update(ids)
    files: dict[int, int] = {}
    for requirement_id in Document.objects.filter(
        dossier=dossier, kind=Document.Kind.COMPONENT, requirement__isnull=False
    ).values_list("requirement_id", flat=True):
        files[requirement_id] = files.get(requirement_id, 0) + 1
    rows = []
    for req in dossier.procedure.requirements.all():
        paper = req.pk in on_paper
        if not (paper or req.pk in online or req.pk in files):
            continue
        rows.append(
            {
                "name": req.name,
                "originals": req.originals if paper else 0,
                "certified_copies": req.copies if paper else 0,
                "photocopies": files.get(req.pk) or (1 if req.pk in online and not paper else 0),
            }
        )
    return rows


def counts_from(dossier: Dossier) -> tuple[date | None, str]:
    """(the day the processing time counts from, why it is not the day of receipt, or ""), for the receipt.

    A dossier still incomplete since intake has no such day yet: (None, "") and the receipt says the time
    counts from completion."""
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        asked = latest_event(dossier, "request_supplement")
        if asked is not None and asked.payload.get("at_intake"):
            return None, ""
    start = dossier.clock_started_at or dossier.received_at
    if start is None:
        return None, ""
    procedure = dossier.procedure
    first, rule = start_rule(start, procedure.processing_days, procedure.time_unit)
    return first, ("" if rule in (RECEIPT_DAY, CUTOFF_NOT_APPLIED) else start_rule_text(rule)[0])


def form_01(dossier: Dossier) -> dict:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    ctx = _with_qr(base_context(dossier, dossier.receiving_agency, "01", f"{serial(dossier)}/TNHS"))
    ctx["components"] = received_components(dossier)
    ctx["clerk_name"] = dossier.received_by.display_name if dossier.received_by_id else ""
    ctx["counts_from"], ctx["counts_from_reason"] = counts_from(dossier)
    return ctx


def form_02(dossier: Dossier) -> dict:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: everything missing at once, the deadline, where to supply."""
    event = latest_event(dossier, "request_supplement")
    payload = event.payload if event else {}
    ctx = _with_qr(base_context(dossier, dossier.receiving_agency, "02", f"{serial(dossier)}/YCBS"))
    ctx["missing"] = [
        {"name": m.get("name", ""), "reason": m.get("reason", "")}
        for m in payload.get("missing", [])
        if isinstance(m, dict)
    ]
    ctx["note"] = event.note if event else ""
    ctx["supplement_due_at"] = (
        _when(payload.get("supplement_due_at") or payload.get("due_at")) or dossier.supplement_due_at
    )
    ctx["portal_url"] = settings.PUBLIC_BASE_URL
    ctx["contact_name"] = event.actor_name if event else ""
    return ctx


def form_03(dossier: Dossier) -> dict:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    event = latest_event(dossier, "refuse_intake")
    ctx = base_context(dossier, dossier.receiving_agency, "03", f"{serial(dossier)}/TCHS")
    ctx["reason"] = reason_of(event, dossier.outcome_note)
    ctx["signer_name"] = event.actor_name if event else ""
    return ctx


def form_04(dossier: Dossier) -> dict:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết: signed by a leader of the late agency."""
    event = latest_event(dossier, "apologize")
    payload = event.payload if event else {}
    ctx = _with_qr(
        base_context(
            dossier,
            dossier.competent_agency,
            "04",
            f"{serial(dossier)}/XL{payload.get('apology_number') or dossier.apology_count or 1}",
        )
    )
    ctx["reason"] = reason_of(event)
    ctx["old_due_at"] = (
        _when(payload.get("old_due_at") or payload.get("previous_due_at")) or dossier.original_due_at
    )
    ctx["new_due_at"] = _when(payload.get("new_due_at") or payload.get("due_at")) or dossier.due_at
    ctx["drafted_by"] = event.actor_name if event else ""
    ctx.update(_signer(dossier.competent_agency, event))
    return ctx


def form_05(dossier: Dossier) -> dict:
    """Thông báo dừng giải quyết hồ sơ: the reason and the legal ground, signed by a leader."""
    event = latest_event(dossier, *STOP_ACTIONS)
    payload = event.payload if event else {}
    ctx = base_context(dossier, dossier.competent_agency, "05", f"{serial(dossier)}/DGQ")
    ctx["reason"] = reason_of(event, dossier.outcome_note)
    ctx["stopped_at"] = event.at if event else dossier.finished_at
    ctx["legal_ground"] = payload.get("legal_ground") or ""
    if event is not None and event.action == "expire_supplement":
        request = latest_event(dossier, "request_supplement")
        # Stopped by the system: the ground is the unanswered supplement request and its deadline.
        ctx["legal_ground"] = (
            "Hết thời hạn bổ sung, hoàn thiện hồ sơ theo Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        )
        if request is not None:
            ctx["legal_ground"] += f" (Mẫu số 02) ngày {request.at:%d/%m/%Y}"
    ctx.update(_signer(dossier.competent_agency, event))
    return ctx


def form_06(dossier: Dossier) -> dict:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per handover, from the audit events."""
    ctx = base_context(dossier, dossier.receiving_agency, "06", f"{serial(dossier)}/KS")
    rows, holder, holder_person = [], dossier.receiving_agency.name, ""
    for e in dossier.events.filter(action__in=HANDOVER_ACTIONS).order_by("at", "id"):
        p = e.payload or {}
        to_unit = p.get("to_unit") or p.get("to_name") or ""
        to_person = p.get("to_user_name") or p.get("assignee_name") or ""
        if e.action == "receive":  # the counter takes the dossier from the applicant
            from_unit, from_person = dossier.applicant_name, ""
        else:
            from_unit = p.get("from_unit") or holder
            from_person = p.get("from_user_name") or e.actor_name or holder_person
        rows.append(
            {
                "at": e.at,
                "from_unit": from_unit,
                "from_person": from_person,
                "to_unit": to_unit,
                "to_person": to_person,
                "action": ACTION_LABELS.get(e.action) or event_label(e.action),
                "note": e.note,
                "late": bool(dossier.due_at and e.at > dossier.due_at and e.action in ("resolve", "forward")),
            }
        )
        if to_unit:
            holder, holder_person = to_unit, to_person
    ctx["rows"] = rows
    return ctx


def result(dossier: Dossier, verification_token: str) -> dict:
    approved = dossier.outcome == "approved"
    ctx = base_context(dossier, dossier.competent_agency, "", f"{serial(dossier)}/KQ")
    link = verify_url(verification_token)
    ctx.update(
        approved=approved,
        verify_url=link,
        verification_token=verification_token,
        qr=qr_data_uri(link),
        heading=(
            "Quyết định giải quyết thủ tục hành chính"
            if approved
            else "Văn bản trả lời từ chối giải quyết hồ sơ"
        ),
    )
    return ctx


# The per-dossier forms; Mẫu 07, the register, covers an agency over a period (documents.registers).
FORMS = {
    "01": ("pdf/form_01.html", form_01),
    "02": ("pdf/form_02.html", form_02),
    "03": ("pdf/form_03.html", form_03),
    "04": ("pdf/form_04.html", form_04),
    "05": ("pdf/form_05.html", form_05),
    "06": ("pdf/form_06.html", form_06),
}
