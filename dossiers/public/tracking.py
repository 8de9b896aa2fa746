"""Public tracking for citizens (code + PIN, no login): the one read it needs, and the satisfaction rating."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext_lazy as _

from config.errors import NotFound
from dossiers.lifecycle import clock, services
from dossiers.models import Document, Dossier, DossierEvent, Status
from dossiers.models.dossier import NATIONAL_CODES

# Plain words for the citizen, in the page's language; the national catalogue's status labels are plain.
EVENT_TEXT = {
    "submit": _("Đã nộp hồ sơ trực tuyến"),
    "receive": _("Bộ phận Một cửa đã tiếp nhận hồ sơ"),
    "refuse_intake": _("Hồ sơ không được tiếp nhận"),
    "forward": _("Hồ sơ được chuyển sang bước: {to_step}"),
    "request_supplement": _("Cần bổ sung, hoàn thiện giấy tờ"),
    "supplement": _("Đã nhận giấy tờ bổ sung"),
    "expire_supplement": _("Quá hạn bổ sung giấy tờ"),
    "request_payment": _("Cần nộp phí, lệ phí"),
    "confirm_payment": _("Đã nộp phí, lệ phí"),
    "apologize": _("Cơ quan xin lỗi vì chậm trả kết quả và hẹn lại ngày trả"),
    "withdraw": _("Hồ sơ đã được rút theo yêu cầu"),
    "stop": _("Dừng xử lý hồ sơ"),
    "resolve": _("Đã có kết quả giải quyết"),
    "return_result": _("Đã trả kết quả"),
    "return_electronic": _("Đã trả kết quả điện tử vào tài khoản của người nộp"),
    "rate": _("Người dân đã đánh giá mức độ hài lòng"),
}
UPDATED = _("Hồ sơ được cập nhật")  # an event with no words of its own: never its internal code
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
    code: str
    status: str
    status_label: str
    national_status_code: int | None
    procedure: str
    applicant: str
    agency: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None
    has_result: bool
    satisfaction: str = ""
    timeline: list[TimelineEntry] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    supplement_due_at: str | None = None

    @property
    def can_rate(self) -> bool:
        return self.status == Status.RETURNED and not self.satisfaction

    @property
    def satisfaction_label(self) -> str:
        return str(Dossier.Satisfaction(self.satisfaction).label) if self.satisfaction else ""


def _pin_matches(row_pin: str | None, pin: str) -> bool:
    # Compare even when the code is unknown so both answers take the same time.
    expected = row_pin if row_pin else "\x00" * 6
    return hmac.compare_digest(expected.encode(), pin.encode()) and row_pin is not None


def _clean(code: str, pin: str) -> tuple[str, str]:
    return (code or "").strip().upper(), (pin or "").strip()


def find_dossier(code: str, pin: str) -> Dossier:
    """The dossier with this code whose PIN matches; the same NotFound for an unknown code and a wrong PIN."""
    code, pin = _clean(code, pin)
    dossier = None
    if code and len(code) <= 40:
        dossier = Dossier.objects.exclude(status=Status.DRAFT).filter(code=code).first()
    if not _pin_matches(dossier.tracking_pin if dossier else None, pin):
        raise MISSING_DOSSIER
    return dossier


# The public page's one read: the dossier's public fields and its public events in a single query by the
# unique code. This is the busiest read of the product, so it is plain SQL: building the equivalent annotated
# queryset (Exists + ArraySubquery + joins) costs several times the query itself.
_PROCEDURES = Dossier._meta.get_field("procedure").related_model._meta.db_table
_AGENCIES = Dossier._meta.get_field("receiving_agency").related_model._meta.db_table
_TRACK_SQL = f"""
SELECT d.code, d.status, d.tracking_pin, d.applicant_name, d.received_at, d.due_at, d.returned_at,
       d.satisfaction, p.name, a.name,
       EXISTS (SELECT 1 FROM {Document._meta.db_table} doc
               WHERE doc.dossier_id = d.id AND doc.kind = 'result' AND doc.file <> ''),
       (SELECT coalesce(json_agg(json_build_object('at', e.at, 'action', e.action, 'to_status', e.to_status,
                                                   'note', e.note, 'payload', e.payload) ORDER BY e.at, e.id),
                        '[]')
          FROM {DossierEvent._meta.db_table} e WHERE e.dossier_id = d.id AND e.public)
  FROM {Dossier._meta.db_table} d
  JOIN {_PROCEDURES} p ON p.id = d.procedure_id
  JOIN {_AGENCIES} a ON a.id = d.receiving_agency_id
 WHERE d.code = %s AND d.status <> 'draft'
"""
_TRACK_COLUMNS = (
    "code",
    "status",
    "tracking_pin",
    "applicant_name",
    "received_at",
    "due_at",
    "returned_at",
    "satisfaction",
    "procedure_name",
    "agency_name",
    "has_result",
    "public_events",
)


def _tracking_row(code: str) -> dict | None:
    if not code or len(code) > 40:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_TRACK_SQL, [code])
        row = cursor.fetchone()
    return dict(zip(_TRACK_COLUMNS, row, strict=True)) if row else None


def timeline_entry(
    action: str, to_status: str, at: datetime, note: str, payload: dict | None
) -> TimelineEntry:
    """One public event in the citizen's words and the page's language (tracking and the citizen portal)."""
    text = str(EVENT_TEXT.get(action, ""))
    if not text:
        return TimelineEntry(at, str(Status(to_status).label if to_status in Status.values else UPDATED))
    if action == "forward":
        payload = payload or {}
        text = text.format(to_step=payload.get("to_step_name") or payload.get("to_step") or "")
    note = note if action in PUBLIC_NOTES else clock.clock_note(action, payload)
    return TimelineEntry(at, text, note)


def _entry(event: dict) -> TimelineEntry:
    at = datetime.fromisoformat(event["at"])
    return timeline_entry(event["action"], event["to_status"], at, event["note"], event["payload"])


def track(code: str, pin: str) -> Tracking:
    """What the citizen sees: status, public timeline, appointment, what is missing, result readiness."""
    code, pin = _clean(code, pin)
    row = _tracking_row(code)
    if not _pin_matches(row["tracking_pin"] if row else None, pin):
        raise MISSING_DOSSIER
    events = row["public_events"]
    if isinstance(events, str):  # json (not jsonb) may arrive undecoded depending on the driver's loaders
        events = json.loads(events)
    missing, supplement_due = [], None
    if row["status"] == Status.SUPPLEMENT_REQUESTED:
        last = next((e for e in reversed(events) if e["action"] == "request_supplement"), None)
        if last is not None:
            payload = last["payload"] or {}
            missing = [
                {"name": m.get("name", ""), "reason": m.get("reason", "")} for m in payload.get("missing", [])
            ]
            supplement_due = payload.get("supplement_due_at")
    status = row["status"]
    return Tracking(
        code=row["code"],
        status=status,
        status_label=str(Status(status).label),
        national_status_code=NATIONAL_CODES.get(status),
        procedure=row["procedure_name"],
        applicant=initials(row["applicant_name"]),
        agency=row["agency_name"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        returned_at=row["returned_at"],
        has_result=bool(row["has_result"]) and status in (Status.RESOLVED, Status.RETURNED),
        satisfaction=row["satisfaction"],
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
    """The citizen holding the PIN rates the service (services.rate_satisfaction writes it)."""
    return services.rate_satisfaction(find_dossier(code, pin).pk, value)
