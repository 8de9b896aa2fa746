"""Dossier codes `{agency code}-{yyMMdd}-{NNNN}` from a gapless daily sequence, and tracking PINs.

The number is taken from a per-agency, per-day row whose lock is held until commit (a rolled-back intake gives
its number back, so codes have no gaps). To hold that lock as briefly as possible, a new dossier is written
with a provisional code, everything else of its transaction is done, and `assign_code` takes the number as the
transaction's last statement: concurrent intakes of one agency queue only for that statement and the commit.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.db import connection

from accounts.models import Agency
from dossiers.models import DailySequence, Dossier, Notification, OutboxMessage
from procedures.calendar import local

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


PROVISIONAL_PREFIX = "~"  # never the first character of a real code


def provisional_code() -> str:
    """A unique stand-in until `assign_code`; no longer than any real code (13+ characters), so a text
    truncated with it in place keeps at least what it would keep with the real code."""
    return PROVISIONAL_PREFIX + secrets.token_hex(6)


_SEQ = DailySequence._meta.db_table
_ASSIGN_SQL = f"""
    WITH n AS (
        INSERT INTO {_SEQ} (agency_id, day, last) VALUES (%(agency)s, %(day)s, 1)
        ON CONFLICT (agency_id, day) DO UPDATE SET last = {_SEQ}.last + 1
        RETURNING last
    ), d AS (
        UPDATE {Dossier._meta.db_table}
        SET code = %(prefix)s || lpad(n.last::text, greatest(4, length(n.last::text)), '0'){{also}}
        FROM n WHERE id = %(id)s
        RETURNING code
    ), o AS (
        UPDATE {OutboxMessage._meta.db_table} m
        SET subject = left(replace(m.subject, %(provisional)s, d.code), 255),
            body = replace(m.body, %(provisional)s, d.code),
            payload = replace(m.payload::text, %(provisional)s, d.code)::jsonb
        FROM d WHERE m.dossier_id = %(id)s
    ), i AS (
        UPDATE {Notification._meta.db_table} t
        SET title = left(replace(t.title, %(provisional)s, d.code), 255),
            body = replace(t.body, %(provisional)s, d.code)
        FROM d WHERE t.dossier_id = %(id)s
    )
    SELECT code FROM d
"""


def assign_code(dossier: Dossier, at: datetime, also: tuple[str, ...] = ()) -> str:
    """Give a dossier written with a provisional code its real one; call as the transaction's last statement.

    One round trip: takes the agency's next number of the day (row lock until commit), sets the code (and the
    columns of the fields named in `also`, from the instance), and puts the real code in place of the
    provisional one in the inbox rows and outbox messages written for the dossier in this transaction (their
    texts, and the webhook payloads). Events must not carry the code (they cannot be updated).
    """
    if not dossier.code.startswith(PROVISIONAL_PREFIX):
        raise ValueError(f"dossier {dossier.pk} already has its code {dossier.code}")
    day = local(at).date()
    params = {
        "agency": dossier.receiving_agency_id,
        "day": day,
        "prefix": format_code(dossier.receiving_agency.code, day, 0)[:-4],
        "id": dossier.pk,
        "provisional": dossier.code,
    }
    sets = []
    for name in also:
        field = Dossier._meta.get_field(name)
        params[f"also_{name}"] = field.get_db_prep_save(getattr(dossier, field.attname), connection)
        sets.append(f", {connection.ops.quote_name(field.column)} = %(also_{name})s")
    with connection.cursor() as cursor:
        cursor.execute(_ASSIGN_SQL.format(also="".join(sets)), params)
        dossier.code = cursor.fetchone()[0]
    return dossier.code


def new_tracking_pin() -> str:
    """Six random digits the applicant uses with the code to follow the dossier."""
    return f"{secrets.randbelow(1_000_000):06d}"
