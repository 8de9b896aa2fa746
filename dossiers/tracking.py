"""Public tracking for citizens (code + PIN, no login): the one read it needs, and the satisfaction rating."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from config.errors import Conflict, InvalidInput, NotFound, field_error

from .events import record_event
from .models import Document, Dossier, DossierEvent, Status

# Plain Vietnamese for the citizen; the status labels of the national catalogue are already plain.
EVENT_TEXT = {
    "submit": "Đã nộp hồ sơ trực tuyến",
    "receive": "Bộ phận Một cửa đã tiếp nhận hồ sơ",
    "refuse_intake": "Hồ sơ không được tiếp nhận",
    "forward": "Hồ sơ được chuyển sang bước: {to_step}",
    "request_supplement": "Cần bổ sung, hoàn thiện giấy tờ",
    "supplement": "Đã nhận giấy tờ bổ sung",
    "expire_supplement": "Quá hạn bổ sung giấy tờ",
    "request_payment": "Cần nộp phí, lệ phí",
    "confirm_payment": "Đã nộp phí, lệ phí",
    "apologize": "Cơ quan xin lỗi vì chậm trả kết quả và hẹn lại ngày trả",
    "withdraw": "Hồ sơ đã được rút theo yêu cầu",
    "stop": "Dừng xử lý hồ sơ",
    "resolve": "Đã có kết quả giải quyết",
    "return_result": "Đã trả kết quả",
    "rate": "Người dân đã đánh giá mức độ hài lòng",
}
# Notes the citizen needs to read (reasons given to them); other notes are internal.
PUBLIC_NOTES = {"refuse_intake", "stop", "apologize", "withdraw", "expire_supplement", "resolve"}
MISSING_DOSSIER = NotFound(
    "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập. Vui lòng kiểm tra lại.",
    "No dossier matches this code and PIN. Please check them.",
    code="not_found",
)


def initials(name: str) -> str:
    """'Trần Thị Bình' -> 'T. T. B.' (the public page never shows the full name)."""
    return " ".join(f"{word[0].upper()}." for word in (name or "").split())


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str
    note: str = ""


@dataclass
class Tracking:
    dossier: Dossier
    code: str
    status: str
    status_label: str
    procedure: str
    applicant: str
    agency: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    has_result: bool
    timeline: list[TimelineEntry] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    supplement_due_at: str | None = None

    @property
    def can_rate(self) -> bool:
        return self.status == Status.RETURNED and not self.dossier.satisfaction

    @property
    def satisfaction_label(self) -> str:
        return self.dossier.get_satisfaction_display() if self.dossier.satisfaction else ""


def find_dossier(code: str, pin: str) -> Dossier:
    """The dossier with this code whose PIN matches; the same NotFound for an unknown code and a wrong PIN."""
    code, pin = (code or "").strip().upper(), (pin or "").strip()
    dossier = None
    if code and len(code) <= 40:
        has_result = Exists(
            Document.objects.filter(dossier_id=OuterRef("pk"), kind=Document.Kind.RESULT).exclude(file="")
        )
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency")
            .annotate(has_result=has_result)
            .exclude(status=Status.DRAFT)
            .filter(code=code)
            .first()
        )
    # Compare even when the code is unknown so both answers take the same time.
    expected = dossier.tracking_pin if dossier else "\x00" * 6
    if not hmac.compare_digest(expected.encode(), pin.encode()) or dossier is None:
        raise MISSING_DOSSIER
    return dossier


def _entry(event: DossierEvent) -> TimelineEntry:
    text = EVENT_TEXT.get(event.action, "")
    if not text:
        return TimelineEntry(
            event.at, Status(event.to_status).label if event.to_status in Status.values else ""
        )
    if event.action == "forward":
        text = text.format(to_step=event.payload.get("to_step_name") or event.payload.get("to_step") or "")
    note = event.note if event.action in PUBLIC_NOTES else ""
    return TimelineEntry(event.at, text, note)


def track(code: str, pin: str) -> Tracking:
    """What the citizen sees: status, public timeline, appointment, what is missing, result readiness."""
    d = find_dossier(code, pin)
    events = list(DossierEvent.objects.filter(dossier_id=d.pk, public=True).order_by("at", "id"))
    missing, supplement_due = [], None
    if d.status == Status.SUPPLEMENT_REQUESTED:
        last = next((e for e in reversed(events) if e.action == "request_supplement"), None)
        if last is not None:
            missing = [
                {"name": m.get("name", ""), "reason": m.get("reason", "")}
                for m in last.payload.get("missing", [])
            ]
            supplement_due = last.payload.get("supplement_due_at")
    result_ready = bool(d.has_result) and d.status in (Status.RESOLVED, Status.RETURNED)
    return Tracking(
        dossier=d,
        code=d.code,
        status=d.status,
        status_label=Status(d.status).label,
        procedure=d.procedure.name,
        applicant=initials(d.applicant_name),
        agency=d.receiving_agency.name,
        received_at=d.received_at,
        due_at=d.due_at,
        returned_at=d.returned_at,
        has_result=result_ready,
        timeline=[e for e in map(_entry, events) if e.text],
        missing=missing,
        supplement_due_at=supplement_due,
    )


def result_document(code: str, pin: str) -> Document:
    """The signed result file of a finished dossier, for the citizen holding the PIN."""
    d = find_dossier(code, pin)
    doc = (
        Document.objects.filter(dossier=d, kind=Document.Kind.RESULT).exclude(file="").first()
        if d.status in (Status.RESOLVED, Status.RETURNED)
        else None
    )
    if doc is None:
        raise NotFound("Kết quả chưa sẵn sàng.", "The result is not ready yet.", code="result_not_ready")
    return doc


def rate_satisfaction(code: str, pin: str, value: str) -> Dossier:
    """The citizen rates the service once, after the result is returned; recorded as a public event."""
    if value not in Dossier.Satisfaction.values:
        raise InvalidInput(
            "Vui lòng chọn một mức độ hài lòng.",
            "Choose a satisfaction level.",
            fields={"satisfaction": field_error("Chọn một mức.", "Choose one level.")},
        )
    found = find_dossier(code, pin)
    with transaction.atomic():
        d = Dossier.objects.select_for_update(of=("self",)).get(pk=found.pk)
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
        record_event(d, "rate", payload={"satisfaction": value}, public=True)
    return d
