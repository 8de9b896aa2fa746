"""Form 06, the register of dossiers received by an agency over a period: rows, PDF (A4) and XLSX."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from accounts.models import Agency, User
from accounts.scoping import visible_agency_ids
from config.errors import Forbidden, InvalidInput, field_error
from dossiers.documents.forms.render import issued_on_text, place_of, render_pdf
from dossiers.models import Dossier, DossierEvent
from dossiers.reporting.exports import neutralise
from dossiers.reporting.period import parse_date

MAX_DAYS = 366
HEADERS = [
    "TT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ",
    "Số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Ngày nhận hồ sơ",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Trạng thái",
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


def register_rows(agency: Agency, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """One row per dossier received in the period, in order of receipt (served by dossier_recv_received)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    forwarded = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action="forward")
        .values("dossier")
        .annotate(first=Min("at"))
        .values("first")
    )
    dossiers = (
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "competent_agency")
        .annotate(forwarded_at=Subquery(forwarded))
        .order_by("received_at", "id")
    )
    return [
        {
            "no": i,
            "code": d.code,
            "procedure": d.procedure.name,
            "sets": d.sets,
            "applicant": d.applicant_name,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "competent": d.competent_agency.name,
            "received_at": d.received_at,
            "due_at": d.due_at,
            "forwarded_at": d.forwarded_at,
            "resolved_at": d.resolved_at,
            "returned_at": d.returned_at,
            "status": d.get_status_display(),
        }
        for i, d in enumerate(dossiers, start=1)
    ]


def register_pdf(agency: Agency, date_from: dt.date, date_to: dt.date) -> bytes:
    return render_pdf(
        "pdf/form_06.html",
        {
            "agency": agency,
            "rows": register_rows(agency, date_from, date_to),
            "date_from": date_from,
            "date_to": date_to,
            "number": f"{date_from:%Y}/STHS",
            "place": place_of(agency),
            "issued_on_text": issued_on_text(),
            "page_size": "A4 landscape",
        },
    )


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def register_xlsx(agency: Agency, date_from: dt.date, date_to: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Mẫu 06"
    ws.append([neutralise(f"SỔ THEO DÕI HỒ SƠ · {agency.name} · {date_from:%d/%m/%Y} - {date_to:%d/%m/%Y}")])
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
                    r["procedure"],
                    r["sets"],
                    r["applicant"],
                    r["address"],
                    r["phone"],
                    r["competent"],
                    _local(r["received_at"]),
                    _local(r["due_at"]),
                    _local(r["forwarded_at"]),
                    _local(r["resolved_at"]),
                    _local(r["returned_at"]),
                    r["status"],
                )
            ]
        )
    for row in ws.iter_rows(min_row=3, min_col=9, max_col=13):
        for cell in row:
            cell.number_format = "DD/MM/YYYY HH:MM"
    for col, width in zip(
        "ABCDEFGHIJKLMN", (5, 28, 40, 8, 24, 30, 13, 28, 16, 16, 16, 16, 16, 18), strict=True
    ):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
