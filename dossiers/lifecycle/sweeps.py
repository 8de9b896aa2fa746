"""Periodic deadline sweeps: due-soon reminders, newly overdue dossiers and steps, expired supplements.

Each sweep claims only rows whose state changed since the last run, through partial indexes over unmarked open
rows (dossier_overdue_pending, dossier_due_soon_pending, step_overdue_pending, step_due_soon_pending,
dossier_supplement_due) and a set-based `UPDATE ... RETURNING` that sets the marker column in the same
transaction as the notifications it writes. So its cost follows the number of changes, not the table size,
and running it twice sends nothing twice. A PostgreSQL advisory lock keeps two beats or workers from sweeping
at once. The working-day digest to leaders and supervisors is here too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Agency, Membership, Role
from dossiers.lifecycle.actions import expire_supplement
from dossiers.lifecycle.deadlines import due_soon_limit
from dossiers.lifecycle.predicates import (
    RUNNING_VALUES,
    appointment_due_by_sql,
    appointment_due_soon,
    past_legal_due,
    past_legal_due_sql,
    reached,
    step_due_by_sql,
)
from dossiers.models import Dossier, Notification, Status
from dossiers.notify import Batch, DossierInfo, render
from dossiers.notify.recipients import directory, holders_by_agency
from procedures.calendar import LOCAL_TZ, calendar, local

logger = logging.getLogger(__name__)

Kind = Notification.Kind
LOCK_KEYS = {"deadlines": 0x4D4F5401, "digest": 0x4D4F5402}  # arbitrary, fixed per sweep
BATCH = 500


@contextmanager
def sweep_lock(name: str) -> Iterator[bool]:
    """Yield True when this process holds the sweep's advisory lock (session level, released at the end)."""
    key = LOCK_KEYS[name]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _claim(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


_DOSSIER_RETURNING = "d.id, d.code, d.subject, d.due_at, d.legal_due_at, d.assignee_id, d.competent_agency_id"


def _info(row: tuple) -> DossierInfo:
    return DossierInfo(id=row[0], code=row[1], subject=row[2], due_at=row[3], legal_due_at=row[4])


def mark_overdue_dossiers(now: datetime, batch: int = BATCH) -> int:
    """Running dossiers past their legal due (predicates.past_legal_due: pauses shift it, an apology does
    not): the handler and the competent agency's leaders are told once."""
    rows = _claim(
        f"""WITH picked AS (
                SELECT id FROM dossiers_dossier d
                WHERE {past_legal_due_sql("d")} AND d.overdue_at IS NULL
                ORDER BY d.legal_due_at LIMIT %s FOR UPDATE SKIP LOCKED)
            UPDATE dossiers_dossier d SET overdue_at = %s FROM picked WHERE d.id = picked.id
            RETURNING {_DOSSIER_RETURNING}""",
        [now, batch, now],
    )
    if rows:
        leaders = holders_by_agency({r[6] for r in rows})
        emails, _ = directory({r[5] for r in rows} | {u for ids in leaders.values() for u in ids})
        out = Batch()
        for row in rows:
            info = _info(row)
            key = f"overdue:d{info.id}:{local(info.legal_due_at):%Y%m%d}"
            out.staff(Kind.OVERDUE, info, [row[5], *leaders.get(row[6], [])], emails, key)
        out.flush()
    return len(rows)


def mark_due_soon_dossiers(now: datetime, batch: int = BATCH) -> int:
    """Running dossiers whose appointment is due soon (predicates.appointment_due_soon): the handler is
    reminded that an apology (Form 04) must go out before it. Rows already past their appointment are
    marked silently."""
    rows = _claim(
        f"""WITH picked AS (
                SELECT id FROM dossiers_dossier d
                WHERE {appointment_due_by_sql("d")} AND d.due_soon_notified_at IS NULL
                ORDER BY d.due_at LIMIT %s FOR UPDATE SKIP LOCKED)
            UPDATE dossiers_dossier d SET due_soon_notified_at = %s FROM picked WHERE d.id = picked.id
            RETURNING {_DOSSIER_RETURNING}""",
        [due_soon_limit(now), batch, now],
    )
    live = [r for r in rows if not reached(r[3], now)]
    if live:
        no_handler = {r[6] for r in live if not r[5]}
        leaders = holders_by_agency(no_handler)
        emails, _ = directory({r[5] for r in live} | {u for ids in leaders.values() for u in ids})
        out = Batch()
        for row in live:
            info = _info(row)
            to = [row[5]] if row[5] else leaders.get(row[6], [])
            out.staff(Kind.DUE_SOON, info, to, emails, f"due_soon:d{info.id}:{local(info.due_at):%Y%m%d}")
        out.flush()
    return len(rows)


_STEP_SQL = """WITH picked AS (
        SELECT s.id FROM dossiers_dossierstep s JOIN dossiers_dossier d ON d.id = s.dossier_id
        WHERE {due_by} AND s.{marker} IS NULL
        ORDER BY s.due_at LIMIT %s FOR UPDATE OF s SKIP LOCKED)
    UPDATE dossiers_dossierstep s SET {marker} = %s FROM picked, dossiers_dossier d
    WHERE s.id = picked.id AND d.id = s.dossier_id
    RETURNING d.id, d.code, d.subject, d.due_at, d.legal_due_at,
              s.id, s.name, s.due_at, s.assignee_id, s.agency_id"""


def mark_overdue_steps(now: datetime, batch: int = BATCH) -> int:
    """Open steps of running dossiers past their due (predicates.step_past_due): the step's assignee and its
    agency's leaders are told."""
    rows = _claim(_STEP_SQL.format(marker="overdue_at", due_by=step_due_by_sql()), [now, batch, now])
    if rows:
        leaders = holders_by_agency({r[9] for r in rows})
        emails, names = directory({r[8] for r in rows} | {u for ids in leaders.values() for u in ids})
        out = Batch()
        for row in rows:
            info = _info(row)
            out.staff(
                Kind.STEP_OVERDUE,
                info,
                [row[8], *leaders.get(row[9], [])],
                emails,
                f"step_overdue:s{row[5]}:{local(row[7]):%Y%m%d}",
                step_name=row[6],
                step_due_at=row[7],
                assignee_name=names.get(row[8], ""),
            )
        out.flush()
    return len(rows)


def mark_due_soon_steps(now: datetime, batch: int = BATCH) -> int:
    """Open steps due soon (predicates.step_due_soon): their assignee is reminded (past-due ones marked
    silently)."""
    rows = _claim(
        _STEP_SQL.format(marker="due_soon_notified_at", due_by=step_due_by_sql()),
        [due_soon_limit(now), batch, now],
    )
    live = [r for r in rows if not reached(r[7], now) and r[8]]
    if live:
        emails, _ = directory({r[8] for r in live})
        out = Batch()
        for row in live:
            out.staff(
                Kind.STEP_DUE_SOON,
                _info(row),
                [row[8]],
                emails,
                f"step_due_soon:s{row[5]}:{local(row[7]):%Y%m%d}",
                step_name=row[6],
                step_due_at=row[7],
            )
        out.flush()
    return len(rows)


def expire_supplements(now: datetime, batch: int = BATCH) -> int:
    """Supplement requests past their response deadline: each dossier is stopped by the lifecycle's
    `expire_supplement` (its event tells the citizen)."""
    ids = list(
        Dossier.objects.filter(status=Status.SUPPLEMENT_REQUESTED, supplement_due_at__lte=now)
        .order_by("supplement_due_at")
        .values_list("id", flat=True)[:batch]
    )
    done = 0
    for dossier_id in ids:
        try:
            done += expire_supplement(dossier_id) is not None
        except Exception:  # one bad row must not block the others; it is retried next sweep
            logger.exception("sweep: could not expire the supplement of dossier %s", dossier_id)
    return done


STEPS = (
    ("overdue_dossiers", mark_overdue_dossiers),
    ("due_soon_dossiers", mark_due_soon_dossiers),
    ("overdue_steps", mark_overdue_steps),
    ("due_soon_steps", mark_due_soon_steps),
)


def sweep_deadlines(now: datetime | None = None, batch: int = BATCH) -> dict[str, int] | None:
    """Run every deadline sweep once; None when another process holds the lock (it is doing the work)."""
    now = now or timezone.now()
    with sweep_lock("deadlines") as got:
        if not got:
            logger.info("sweep: another process is sweeping; skipped")
            return None
        counts = {}
        for name, fn in STEPS:
            total = 0
            while True:
                with transaction.atomic():
                    n = fn(now, batch)
                total += n
                if n < batch:
                    break
            counts[name] = total
        expired = 0
        while True:
            n = expire_supplements(now, batch)
            expired += n
            if n < batch:
                break
        counts["expired_supplements"] = expired
    return counts


# --- the daily digest ----------------------------------------------------------------------------------


def digest_rows(now: datetime) -> dict[int, dict]:
    """agency id -> counts of its running dossiers (one grouped query): past the legal due ("quá hạn", as
    the statistics and the escalation judge), and the appointments due soon, split into today's and later."""
    day_end = datetime.combine(local(now).date(), time.max, tzinfo=LOCAL_TZ)
    due_soon = appointment_due_soon(now)
    rows = (
        Dossier.objects.filter(status__in=RUNNING_VALUES)
        .values("competent_agency_id")
        .annotate(
            open=Count("id"),
            past_legal_due=Count("id", filter=past_legal_due(now)),
            due_today=Count("id", filter=due_soon & Q(due_at__lte=day_end)),
            due_soon=Count("id", filter=due_soon & Q(due_at__gt=day_end)),
        )
        .order_by()
    )
    return {r.pop("competent_agency_id"): r for r in rows}


def daily_digest(now: datetime | None = None) -> int | None:
    """On working days, tell each leader and supervisor how their agencies stand; returns users told
    (None when another process holds the lock). Once per user per day."""
    now = now or timezone.now()
    today: date = local(now).date()
    if not calendar.is_working_day(today):
        return 0
    with sweep_lock("digest") as got:
        if not got:
            return None
        with transaction.atomic():
            return _write_digest(now, today)


def _write_digest(now: datetime, today: date) -> int:
    counts = digest_rows(now)
    if not counts:
        return 0
    agencies = {
        a: (p, n) for a, p, n in Agency.objects.filter(pk__in=counts).values_list("pk", "parent_id", "name")
    }
    parents = {p for p, _ in agencies.values() if p}
    covered: dict[int, set[int]] = {}
    for user_id, agency_id, role in Membership.objects.filter(
        Q(agency_id__in=counts, role__in=[Role.LEADER, Role.SUPERVISOR])
        | Q(agency_id__in=parents, role=Role.SUPERVISOR),
        user__is_active=True,
    ).values_list("user_id", "agency_id", "role"):
        mine = covered.setdefault(user_id, set())
        if agency_id in counts:
            mine.add(agency_id)
        if role == Role.SUPERVISOR:
            mine |= {a for a, (p, _) in agencies.items() if p == agency_id}
    day_start = datetime.combine(today, time.min, tzinfo=LOCAL_TZ)
    already = set(
        Notification.objects.filter(
            user_id__in=covered, kind=Kind.DIGEST, created_at__gte=day_start
        ).values_list("user_id", flat=True)
    )
    emails, _ = directory(set(covered) - already)
    out = Batch()
    told = [u for u in sorted(set(covered) - already) if u in emails]
    for user_id in told:
        ids = sorted(covered[user_id], key=lambda a: agencies[a][1])
        rows = [{"name": agencies[a][1], **counts[a]} for a in ids]
        total = {k: sum(r[k] for r in rows) for k in ("open", "past_legal_due", "due_today", "due_soon")}
        context = {"day": today, "rows": rows, "total": total}
        subject, body = render("digest", context)
        english = render("digest", context, "en")
        out.user_digest(user_id, emails[user_id], subject, body, f"digest:{today:%Y%m%d}", english)
    out.flush()
    return len(told)
