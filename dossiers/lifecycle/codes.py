"""Dossier codes `{agency code}-{yyMMdd}-{NNNN}` from a gapless daily sequence, and tracking PINs.

The number is taken when the dossier is written, from the agency's row of the day, locked until the intake
commits: a rolled-back intake gives its number back, so codes have no gaps. Intakes of one agency queue for
that lock for the rest of their transaction; at counter pace (a few thousand dossiers a day per province)
that wait is a few milliseconds at most.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db.models import F

from accounts.models import Agency
from config.errors import Conflict
from dossiers.models import DailySequence
from procedures.calendar import local

MAX_DAILY_NUMBER = 9999  # four digits: `Dossier.code` holds the longest agency code + `-yyMMdd-NNNN`


def next_number(agency_id: int, day: date) -> int:
    """The next number of the agency's day. Call inside the intake transaction: the row lock it takes is
    held until commit, so concurrent intakes queue and a rolled-back intake gives its number back."""
    DailySequence.objects.bulk_create([DailySequence(agency_id=agency_id, day=day)], ignore_conflicts=True)
    row = DailySequence.objects.filter(agency_id=agency_id, day=day)
    row.update(last=F("last") + 1)  # locks the row until commit
    number = row.values_list("last", flat=True).get()
    if number > MAX_DAILY_NUMBER:
        raise Conflict(
            f"Cơ quan đã tiếp nhận đủ {MAX_DAILY_NUMBER} hồ sơ trong ngày; mã hồ sơ chỉ có bốn chữ số.",
            f"The agency has received {MAX_DAILY_NUMBER} dossiers today, the most a four-digit code allows.",
            code="daily_sequence_exhausted",
        )
    return number


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def new_dossier_code(agency: Agency, at: datetime) -> str:
    """A new unique code for a dossier received by `agency` at `at` (local date)."""
    day = local(at).date()
    return format_code(agency.code, day, next_number(agency.pk, day))


def new_tracking_pin() -> str:
    """Six random digits the applicant uses with the code to follow the dossier."""
    return f"{secrets.randbelow(1_000_000):06d}"
