"""Which (agency, month) rollups a change makes stale, and the locks that keep a rebuild from missing one.

Every audit event of a received dossier marks the months it belongs to (receipt to finish, or to the current
month) dirty, in the event's transaction, under a SHARED transaction advisory lock on its competent agency.
A rebuild takes the EXCLUSIVE lock on the agencies it rebuilds before it counts: it waits for every change
already marking them to commit, so its count sees them, and changes starting meanwhile wait for it and then
mark the rebuilt months dirty again. Marking writes only a row that is clean (`AND NOT dirty`), so changes do
not queue behind one another on a hot row between rebuilds.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils import timezone

from dossiers.models import Dossier, StatsMonth, Status
from procedures.calendar import LOCAL_TZ

LOCK_CLASS = 766  # first key of the two-key advisory locks on agencies (second key: the agency id)


def current_month(today: date | None = None) -> date:
    from dossiers.reporting.period import local_today

    return (today or local_today()).replace(day=1)


def months_of(dossier: Dossier) -> tuple[date, date] | None:
    """The first and last month (local) whose report a dossier belongs to; None before its receipt. A refusal
    at intake belongs to the month of the refusal (reporting.sql counts it there)."""
    start = dossier.received_at
    if dossier.status == Status.REFUSED:
        start = start or dossier.finished_at
    if start is None or not dossier.competent_agency_id:
        return None
    current = current_month(timezone.now().astimezone(LOCAL_TZ).date())
    first = start.astimezone(LOCAL_TZ).date().replace(day=1)
    end = dossier.finished_at or dossier.resolved_at
    last = min(end.astimezone(LOCAL_TZ).date().replace(day=1), current) if end else current
    return first, max(first, last)


def mark_dirty(dossier: Dossier) -> int:
    """Mark the rollup months of a changed dossier for rebuilding: one round trip in the caller's transaction.

    Returns 1 when a statement ran, 0 for a dossier not received yet (in no report)."""
    span = months_of(dossier)
    if span is None:
        return 0
    agency = int(dossier.competent_agency_id)
    first, last = span
    # Two statements, one round trip (no parameters: simple query protocol); the values are an int and dates.
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT pg_advisory_xact_lock_shared({LOCK_CLASS}, {agency}); "
            f"UPDATE {StatsMonth._meta.db_table} SET dirty = true WHERE agency_id = {agency} "
            f"AND month BETWEEN '{first.isoformat()}' AND '{last.isoformat()}' AND NOT dirty"
        )
    return 1


def lock_agencies(agency_ids) -> None:
    """Take the exclusive rebuild lock of each agency (ascending, so two rebuilds cannot deadlock)."""
    ids = sorted(int(a) for a in agency_ids)
    if ids:
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, a) FROM unnest(%s::int[]) AS a", [ids])
            cur.fetchall()
