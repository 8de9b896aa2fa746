"""Mẫu số 07 Sổ theo dõi hồ sơ: the register of dossiers an agency received over a period, as PDF (A4
landscape) and XLSX."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from accounts.models import Agency, Membership, Role, User
from accounts.scoping import visible_agency_ids
from config.errors import Forbidden, InvalidInput, field_error
from dossiers.documents.forms.render import issued_on_text, place_of, render_pdf
from dossiers.models import Dossier
from dossiers.reporting.exports import neutralise
from dossiers.reporting.period import parse_date

FORM_NUMBER = "07"
MAX_DAYS = 366
# The columns of Mẫu 07, in order; the XLSX has the same ones.
HEADERS = [
    "TT",
    "Mã hồ sơ",
    "Nội dung yêu cầu giải quyết",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ",
    "Số điện thoại",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày có kết quả",
    "Người tiếp nhận",
    "Ghi chú",
]


def register_period(user: User, agency_id, date_from, date_to) -> tuple[Agency, dt.date, dt.date]:
    """Check the request: an agency the user may see and a period of at most a year."""
    try:
        agency_id = int(agency_id)
    except (TypeError, ValueError):
        raise InvalidInput(
            "Cần chọn cơ quan và khoảng thời gian (YYYY-MM-DD).",
            "An agency id and dates (YYYY-MM-DD) are required.",
            fields={"agency": field_error("Bắt buộc.", "Required.")},
        ) from None
    date_from = parse_date("from", str(date_from or ""))
    date_to = parse_date("to", str(date_to or ""))
    if date_to < date_from or (date_to - date_from).days > MAX_DAYS:
        raise InvalidInput(
            "Khoảng thời gian không hợp lệ (tối đa một năm).",
            "Invalid period (at most one year).",
            fields={"to": field_error("Không hợp lệ.", "Invalid.")},
        )
    if agency_id not in visible_agency_ids(user):
        raise Forbidden(
            "Bạn không có quyền xem sổ theo dõi của cơ quan này.", "You may not see this agency's register."
        )
    return Agency.objects.select_related("parent").get(pk=agency_id), date_from, date_to


def default_register_agency(user: User, selected: int | None = None) -> int | None:
    """The agency whose register a report page links to: the one picked on the page, else the user's own
    supervising agency (the oldest such membership), else the top of the tree for a superuser."""
    if selected:
        return selected
    own = (
        Membership.objects.filter(user=user, role__in=(Role.SUPERVISOR, Role.ADMIN))
        .order_by("id")
        .values_list("agency_id", flat=True)
        .first()
    )
    if own is None and user.is_superuser:
        own = Agency.objects.filter(parent__isnull=True).order_by("id").values_list("id", flat=True).first()
    return own


def register_rows(agency: Agency, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """One row per dossier received in the period, in order of receipt (served by dossier_recv_received)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    dossiers = (
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "received_by")
        .order_by("received_at", "id")
    )
    # Mẫu 07 is a printed register: always in Vietnamese, whatever the clerk's screen language.
    with translation.override("vi"):
        return _register_rows(dossiers)


def _register_rows(dossiers) -> list[dict]:
    return [
        {
            "no": i,
            "code": d.code,
            "content": d.subject or d.procedure.name,
            "sets": d.sets,
            "applicant": d.applicant_name,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "received_at": d.received_at,
            "due_at": d.due_at,
            "resolved_at": d.resolved_at,
            "received_by": d.received_by.display_name if d.received_by_id else "",
            "notes": _notes(d),
        }
        for i, d in enumerate(dossiers, start=1)
    ]


def _notes(d: Dossier) -> str:
    """The status, and the day the result went back to the applicant once it did."""
    note = d.get_status_display()
    if d.returned_at:
        note += f", trả kết quả ngày {timezone.localtime(d.returned_at):%d/%m/%Y}"
    return note


def register_pdf(agency: Agency, date_from: dt.date, date_to: dt.date) -> bytes:
    rows = register_rows(agency, date_from, date_to)
    return render_pdf(REGISTER_TEMPLATE, register_context(agency, rows, date_from, date_to))


REGISTER_TEMPLATE = "pdf/form_07.html"


def register_context(agency: Agency, rows: list[dict], date_from=None, date_to=None) -> dict:
    """What Mẫu 07 prints: the agency's rows over the period (by default the days the rows were received)."""
    days = [timezone.localtime(r["received_at"]).date() for r in rows if r["received_at"]]
    date_from = date_from or min(days, default=timezone.localdate())
    date_to = date_to or max(days, default=timezone.localdate())
    return {
        "agency": agency,
        "rows": rows,
        "date_from": date_from,
        "date_to": date_to,
        "form_number": FORM_NUMBER,
        "number": f"{date_from:%Y}/STHS",
        "place": place_of(agency),
        "issued_on_text": issued_on_text(),
        "page_size": "A4 landscape",
    }


def selection_rows(dossiers) -> list[dict]:
    """The register's rows of chosen dossiers (received ones, in order of receipt), in Vietnamese."""
    ordered = sorted(dossiers, key=lambda d: (d.received_at, d.pk))
    with translation.override("vi"):
        return _register_rows(ordered)


def register_filename(agency: Agency, date_from: dt.date, date_to: dt.date) -> str:
    return f"mau-{FORM_NUMBER}-{agency.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def register_xlsx(agency: Agency, date_from: dt.date, date_to: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Mẫu {FORM_NUMBER}"
    period = f"{date_from:%d/%m/%Y} - {date_to:%d/%m/%Y}"
    ws.append([neutralise(f"MẪU SỐ {FORM_NUMBER} SỔ THEO DÕI HỒ SƠ · {agency.name} · {period}")])
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in register_rows(agency, date_from, date_to):
        ws.append(
            [
                neutralise(value)
                for value in (
                    r["no"],
                    r["code"],
                    r["content"],
                    r["sets"],
                    r["applicant"],
                    r["address"],
                    r["phone"],
                    _local(r["received_at"]),
                    _local(r["due_at"]),
                    _local(r["resolved_at"]),
                    r["received_by"],
                    r["notes"],
                )
            ]
        )
    for row in ws.iter_rows(min_row=3, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = "DD/MM/YYYY HH:MM"
    for col, width in zip("ABCDEFGHIJKL", (5, 28, 40, 8, 24, 30, 13, 16, 16, 16, 22, 28), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
