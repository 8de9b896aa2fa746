"""Context builders for each printed form, reading the dossier and its audit events."""

from __future__ import annotations

from datetime import datetime

from django.utils.dateparse import parse_date, parse_datetime

from dossiers.documents.forms.render import issued_on_text, place_of, qr_data_uri, tracking_url, verify_url
from dossiers.models import Dossier, DossierEvent

ACTION_LABELS = {
    "receive": "Tiếp nhận hồ sơ",
    "submit": "Nộp hồ sơ trực tuyến",
    "refuse_intake": "Từ chối tiếp nhận",
    "forward": "Chuyển xử lý",
    "hand_over": "Bàn giao hồ sơ",
    "assign": "Phân công xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Nhận hồ sơ bổ sung",
    "expire_supplement": "Hết hạn bổ sung",
    "request_payment": "Yêu cầu nghĩa vụ tài chính",
    "confirm_payment": "Xác nhận nộp phí",
    "apologize": "Xin lỗi, hẹn lại ngày trả",
    "withdraw": "Rút hồ sơ",
    "stop": "Dừng xử lý",
    "resolve": "Đã có kết quả giải quyết",
    "result_issued": "Phát hành kết quả điện tử",
    "return_result": "Trả kết quả",
    "document_attached": "Đính kèm thành phần hồ sơ",
    "document_reused": "Tái sử dụng dữ liệu số",
}
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


def base_context(dossier: Dossier, agency, number: str, *, page_size: str = "A5") -> dict:
    return {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "agency": agency,
        "competent": dossier.competent_agency,
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


def form_01(dossier: Dossier) -> dict:
    ctx = _with_qr(base_context(dossier, dossier.receiving_agency, f"{serial(dossier)}/TNHS"))
    ctx["requirements"] = list(dossier.procedure.requirements.all())
    ctx["clerk_name"] = dossier.received_by.display_name if dossier.received_by_id else ""
    return ctx


def form_02(dossier: Dossier) -> dict:
    event = latest_event(dossier, "request_supplement")
    payload = event.payload if event else {}
    ctx = _with_qr(base_context(dossier, dossier.receiving_agency, f"{serial(dossier)}/YCBS"))
    ctx["missing"] = [
        {"name": m.get("name", ""), "reason": m.get("reason", "")}
        for m in payload.get("missing", [])
        if isinstance(m, dict)
    ]
    ctx["note"] = event.note if event else ""
    ctx["supplement_due_at"] = (
        _when(payload.get("supplement_due_at") or payload.get("due_at")) or dossier.supplement_due_at
    )
    ctx["signer_name"] = event.actor_name if event else ""
    return ctx


def form_03(dossier: Dossier) -> dict:
    event = latest_event(dossier, "refuse_intake")
    ctx = base_context(dossier, dossier.receiving_agency, f"{serial(dossier)}/TCHS")
    ctx["reason"] = reason_of(event, dossier.outcome_note)
    ctx["signer_name"] = event.actor_name if event else ""
    return ctx


def form_04(dossier: Dossier) -> dict:
    event = latest_event(dossier, "apologize")
    payload = event.payload if event else {}
    ctx = _with_qr(
        base_context(
            dossier,
            dossier.competent_agency,
            f"{serial(dossier)}/XL{payload.get('apology_number') or dossier.apology_count or 1}",
        )
    )
    ctx["reason"] = reason_of(event)
    ctx["old_due_at"] = (
        _when(payload.get("old_due_at") or payload.get("previous_due_at")) or dossier.original_due_at
    )
    ctx["new_due_at"] = _when(payload.get("new_due_at") or payload.get("due_at")) or dossier.due_at
    ctx["signer_name"] = event.actor_name if event else ""
    return ctx


def form_05(dossier: Dossier) -> dict:
    ctx = base_context(dossier, dossier.receiving_agency, f"{serial(dossier)}/KS")
    steps = list(dossier.steps.select_related("assignee", "agency").order_by("order"))
    events = list(dossier.events.order_by("at", "id"))
    rows, holder = [], dossier.receiving_agency.name
    for e in events:
        target = (
            e.payload.get("to_name") or e.payload.get("assignee_name") or e.payload.get("to_step_name") or ""
        )
        rows.append(
            {
                "at": e.at,
                "actor": e.actor_name,
                "from_label": e.payload.get("from_unit") or holder,
                "to_label": target,
                "action": ACTION_LABELS.get(e.action, e.action),
                "note": e.note,
                "late": bool(dossier.due_at and e.at > dossier.due_at and e.action in ("resolve", "forward")),
            }
        )
        holder = target or holder
    ctx.update(steps=steps, rows=rows)
    return ctx


def result(dossier: Dossier, verification_token: str) -> dict:
    approved = dossier.outcome == "approved"
    ctx = base_context(dossier, dossier.competent_agency, f"{serial(dossier)}/KQ")
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


FORMS = {
    "01": ("pdf/form_01.html", form_01),
    "02": ("pdf/form_02.html", form_02),
    "03": ("pdf/form_03.html", form_03),
    "04": ("pdf/form_04.html", form_04),
    "05": ("pdf/form_05.html", form_05),
}
