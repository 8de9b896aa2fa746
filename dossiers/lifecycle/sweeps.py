"""Periodic deadline sweeps: the moments dossiers and steps became due soon or overdue, expired supplements,
and the working-day digest.

No one is told one step at a time: what needs a person's attention (dossiers.lifecycle.reminders) reaches
them as one digest per working day and as the live badge in the page header. The sweeps mark each row once,
when it first becomes due soon or overdue (a re-armed marker after an apology or a resumption marks it
again); they claim only rows whose state changed since the last run, through partial indexes over unmarked
open rows (dossier_overdue_pending, dossier_due_soon_pending, step_overdue_pending, step_due_soon_pending,
dossier_supplement_due) with a set-based `UPDATE ... RETURNING`, so their cost follows the number of changes,
not the table size. A PostgreSQL advisory lock keeps two beats or workers from sweeping at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Agency, Membership, Role
from dossiers.lifecycle import reminders
from dossiers.lifecycle.actions import expire_supplement
from dossiers.lifecycle.deadlines import due_soon_limit
from dossiers.lifecycle.predicates import (
    RUNNING_VALUES,
    appointment_due_by_sql,
    appointment_due_soon,
    past_legal_due,
    past_legal_due_sql,
    step_due_by_sql,
)
from dossiers.models import Dossier, Notification, Status
from dossiers.notify import Batch, render
from dossiers.notify.recipients import directory
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


def mark_overdue_dossiers(now: datetime, batch: int = BATCH) -> int:
    """Running dossiers past their legal due (predicates.past_legal_due: pauses shift it, an apology does
    not) get the moment they were first seen so (overdue_at)."""
    return len(
        _claim(
            f"""WITH picked AS (
                    SELECT id FROM dossiers_dossier d
                    WHERE {past_legal_due_sql("d")} AND d.overdue_at IS NULL
                    ORDER BY d.legal_due_at LIMIT %s FOR UPDATE SKIP LOCKED)
                UPDATE dossiers_dossier d SET overdue_at = %s FROM picked WHERE d.id = picked.id
                RETURNING d.id""",
            [now, batch, now],
        )
    )


def mark_due_soon_dossiers(now: datetime, batch: int = BATCH) -> int:
    """Running dossiers whose appointment is due soon (predicates.appointment_due_soon) or past: marked
    (due_soon_notified_at)."""
    return len(
        _claim(
            f"""WITH picked AS (
                    SELECT id FROM dossiers_dossier d
                    WHERE {appointment_due_by_sql("d")} AND d.due_soon_notified_at IS NULL
                    ORDER BY d.due_at LIMIT %s FOR UPDATE SKIP LOCKED)
                UPDATE dossiers_dossier d SET due_soon_notified_at = %s FROM picked WHERE d.id = picked.id
                RETURNING d.id""",
            [due_soon_limit(now), batch, now],
        )
    )


_STEP_SQL = """WITH picked AS (
        SELECT s.id FROM dossiers_dossierstep s JOIN dossiers_dossier d ON d.id = s.dossier_id
        WHERE {due_by} AND s.{marker} IS NULL
        ORDER BY s.due_at LIMIT %s FOR UPDATE OF s SKIP LOCKED)
    UPDATE dossiers_dossierstep s SET {marker} = %s FROM picked WHERE s.id = picked.id
    RETURNING s.id"""


def mark_overdue_steps(now: datetime, batch: int = BATCH) -> int:
    """Open steps of running dossiers past their due (predicates.step_past_due): marked (overdue_at)."""
    return len(_claim(_STEP_SQL.format(marker="overdue_at", due_by=step_due_by_sql()), [now, batch, now]))


def mark_due_soon_steps(now: datetime, batch: int = BATCH) -> int:
    """Open steps due soon (predicates.step_due_soon) or past: marked (due_soon_notified_at)."""
    sql = _STEP_SQL.format(marker="due_soon_notified_at", due_by=step_due_by_sql())
    return len(_claim(sql, [due_soon_limit(now), batch, now]))


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


DIGEST_ITEMS = 50  # a person's own items listed in one digest; the rest are counted
DIGEST_LATE = 20  # dossiers past the legal due listed for a leader or supervisor


def _covered(counts: dict[int, dict]) -> tuple[dict[int, tuple], dict[int, set[int]]]:
    """(agency id -> (parent id, name), leader or supervisor id -> the agencies they answer for)."""
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
    return agencies, covered


def _write_digest(now: datetime, today: date) -> int:
    """One message per person: their own dossiers and steps past or near their due (reminders.items_for),
    and for leaders and supervisors how their agencies stand, with the dossiers past the legal due."""
    counts = digest_rows(now)
    agencies, covered = _covered(counts) if counts else ({}, {})
    personal = reminders.items_for(None, now)
    late_agencies = {a for a, c in counts.items() if c["past_legal_due"]}
    late = reminders.past_legal_due_by_agency(late_agencies, now, DIGEST_LATE) if late_agencies else {}
    day_start = datetime.combine(today, time.min, tzinfo=LOCAL_TZ)
    candidates = set(covered) | {u for u, items in personal.items() if items}
    already = set(
        Notification.objects.filter(
            user_id__in=candidates, kind=Kind.DIGEST, created_at__gte=day_start
        ).values_list("user_id", flat=True)
    )
    emails, _ = directory(candidates - already)
    out = Batch()
    told = [u for u in sorted(candidates - already) if u in emails]
    for user_id in told:
        items = personal.get(user_id, [])
        ids = sorted(covered.get(user_id, ()), key=lambda a: agencies[a][1])
        rows = [{"name": agencies[a][1], **counts[a]} for a in ids]
        total = {k: sum(r[k] for r in rows) for k in ("open", "past_legal_due", "due_today", "due_soon")}
        past_due = [i for a in ids for i in late.get(a, [])][:DIGEST_LATE]
        context = {
            "day": today,
            "items": items[:DIGEST_ITEMS],
            "more": max(len(items) - DIGEST_ITEMS, 0),
            "apology_hint": any(i.kind == reminders.DUE_SOON for i in items),
            "rows": rows,
            "total": total if rows else None,
            "late": past_due,
            "base": settings.PUBLIC_BASE_URL.rstrip("/"),
        }
        subject, body = render("digest", context)
        english = render("digest", context, "en")
        links = [i.as_json() for i in (items[:DIGEST_ITEMS] + past_due)]
        out.user_digest(user_id, emails[user_id], subject, body, f"digest:{today:%Y%m%d}", english, links)
    out.flush()
    return len(told)
