"""Due-date preview for the duedate command and the calendar API: parses the inputs, explains the answer."""

from __future__ import annotations

from datetime import datetime, timedelta

from .dates import (
    AFTER_CUTOFF,
    SAME_DAY,
    UNITS,
    WORKING_DAYS,
    appointment_date,
    cutoff_applies,
    cutoff_scope,
    cutoff_time,
    end_of_office_day,
    local,
    start_rule,
    start_rule_text,
)
from .working import calendar

MAX_PREVIEW_DAYS = 1000
PREVIEW_YEARS = (2000, 2100)


def parse_received(text: str | None) -> datetime:
    """'2026-02-13 10:00', '2026-02-13T10:00[:ss][+07:00]' or '2026-02-13' -> aware local datetime."""
    from config.errors import InvalidInput

    if not text or not str(text).strip():
        raise InvalidInput(
            "Thiếu thời điểm tiếp nhận.", "The receipt date and time is required.", code="start_required"
        )
    try:
        value = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(
            f"Thời điểm tiếp nhận không hợp lệ: {text!s:.40}. Dùng dạng 2026-02-13 10:00.",
            f"Invalid receipt date and time: {text!s:.40}. Use 2026-02-13 10:00.",
            code="invalid_start",
        ) from None
    if not PREVIEW_YEARS[0] <= value.year <= PREVIEW_YEARS[1]:
        raise InvalidInput(
            f"Năm tiếp nhận phải trong khoảng {PREVIEW_YEARS[0]}-{PREVIEW_YEARS[1]}.",
            f"The receipt year must be within {PREVIEW_YEARS[0]}-{PREVIEW_YEARS[1]}.",
            code="invalid_start",
        )
    return local(value)


def parse_days(value) -> int:
    """A number of days 0..MAX_PREVIEW_DAYS, from an int or a string."""
    from config.errors import InvalidInput

    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = None
    if days is None or not 0 <= days <= MAX_PREVIEW_DAYS:
        raise InvalidInput(
            f"Số ngày phải là số nguyên từ 0 đến {MAX_PREVIEW_DAYS}.",
            f"Days must be a whole number from 0 to {MAX_PREVIEW_DAYS}.",
            code="invalid_days",
        )
    return days


def procedure_terms(code: str) -> tuple[int, str, dict]:
    """(days, unit, {code, name}) of an active procedure by its national code; InvalidInput when unknown."""
    from config.errors import InvalidInput

    from ..models import Procedure

    procedure = Procedure.objects.filter(code=str(code).strip(), active=True).first()
    if procedure is None:
        raise InvalidInput(
            f"Không tìm thấy thủ tục mã {code!s:.40}.",
            f"Unknown procedure code {code!s:.40}.",
            code="unknown_procedure",
        )
    return procedure.processing_days, procedure.time_unit, {"code": procedure.code, "name": procedure.name}


def due_preview(received_at: datetime, days: int, unit: str = WORKING_DAYS) -> dict:
    """The appointment for a receipt, with the non-working days skipped on the way and why.

    `rule` (dates.START_RULES) says how the start day was decided, `rule_text`/`rule_text_en` in a sentence;
    `cutoff_applies` whether the cut-off can move this procedure at all (OFFICE_CUTOFF_SCOPE),
    `cutoff_applied` (and its older name `after_cutoff`) whether it moved this receipt.
    """
    from config.errors import InvalidInput

    if unit not in UNITS:
        raise InvalidInput(
            f"Đơn vị thời hạn không hợp lệ: {unit!s:.40}.",
            f"Unknown time unit: {unit!s:.40}.",
            code="invalid_unit",
        )
    received_at = local(received_at)
    first, rule = start_rule(received_at, days, unit)
    due = appointment_date(received_at, days, unit)
    rule_vi, rule_en = start_rule_text(rule)
    skipped = [
        note.as_dict() for note in calendar.non_working_days(received_at.date() - timedelta(days=1), due)
    ]
    return {
        "start": received_at.isoformat(),
        "days": 0 if unit == SAME_DAY else days,
        "unit": unit,
        "counts_from": first.isoformat(),
        "after_cutoff": rule == AFTER_CUTOFF,
        "cutoff": f"{cutoff_time():%H:%M}",
        "cutoff_scope": cutoff_scope(),
        "cutoff_applies": cutoff_applies(days, unit),
        "cutoff_applied": rule == AFTER_CUTOFF,
        "rule": rule,
        "rule_text": rule_vi,
        "rule_text_en": rule_en,
        "due": due.isoformat(),
        "due_at": end_of_office_day(due).isoformat(),
        "working_days_counted": calendar.working_days_between(first, due),
        "skipped": skipped,
    }
