"""Dossier codes `{agency code}-{yyMMdd}-{NNNN}` from a gapless daily sequence, and tracking PINs."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import connection

from accounts.models import Agency
from procedures.calendar import local

from .models import DailySequence

_NEXT_SQL = f"""
    INSERT INTO {DailySequence._meta.db_table} (agency_id, day, last) VALUES (%s, %s, 1)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = {DailySequence._meta.db_table}.last + 1
    RETURNING last
"""


def next_number(agency_id: int, day: date) -> int:
    """The next number of the agency's day. Call inside the intake transaction: the row lock it takes is
    held until commit, so concurrent intakes queue and a rolled-back intake gives its number back."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SQL, [agency_id, day])
        return cursor.fetchone()[0]


def format_code(agency_code: str, day: date, number: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def new_dossier_code(agency: Agency, at: datetime) -> str:
    """A new unique code for a dossier received by `agency` at `at` (local date)."""
    day = local(at).date()
    return format_code(agency.code, day, next_number(agency.pk, day))


def new_tracking_pin() -> str:
    """Six random digits the applicant uses with the code to follow the dossier."""
    return f"{secrets.randbelow(1_000_000):06d}"
