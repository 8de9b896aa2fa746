"""Deadline sweeps under frozen time: due soon within one working day, overdue by the legal due, expired
supplements, idempotency, the lock, constant queries, and the working-day digest that groups every deadline
notice (the sweeps themselves tell no one)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import psycopg
import pytest
import time_machine
from django.core import mail
from django.db import connection

from accounts.models import Role
from dossiers.lifecycle import reminders
from dossiers.lifecycle.sweeps import LOCK_KEYS, daily_digest, due_soon_limit, sweep_deadlines
from dossiers.models import DossierEvent, DossierStep, Notification, OutboxMessage, Status
from procedures.calendar import LOCAL_TZ as TZ
from tests import factories


def at(text: str) -> datetime:
    """Local time 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


@pytest.fixture
def staff(ward, handler, leader):
    handler.email = "handler@example.gov.vn"
    handler.save()
    leader.email = "leader@example.gov.vn"
    leader.save()
    return handler, leader


def make(procedure, ward, handler, due: str, *, legal: str | None = None, status=Status.PROCESSING, **kw):
    return factories.dossier(
        procedure=procedure,
        agency=ward,
        status=status,
        received_at=at(due) - timedelta(days=10),
        due_at=at(due),
        legal_due_at=at(legal or due),
        assignee=handler,
        **kw,
    )


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)  # the status field is protected: no refresh_from_db


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def reminders_at(user, now: str) -> list[str]:
    """The kinds of the user's reminders at `now` (the badge, the inbox list and the digest read these)."""
    return [i.kind for i in reminders.items_for([user.pk], at(now))[user.pk]]


# --- "due within one working day" across weekends, Tết and make-up days --------------------------------


@pytest.mark.parametrize(
    "now, limit",
    [
        ("2026-11-16 10:00", "2026-11-17 17:00"),  # Monday -> Tuesday
        ("2026-11-20 10:00", "2026-11-23 17:00"),  # Friday -> Monday, over the weekend
        ("2026-11-23 10:00", "2026-11-25 17:00"),  # Monday -> Wednesday: 24/11 is Culture Day from 2026
        ("2026-11-22 10:00", "2026-11-23 17:00"),  # a Sunday -> Monday
        ("2026-02-13 10:00", "2026-02-23 17:00"),  # last working day before Tết 2026 -> after it
        ("2026-08-21 10:00", "2026-08-22 17:00"),  # Friday -> the make-up Saturday
        ("2026-08-22 10:00", "2026-08-24 17:00"),  # the make-up Saturday -> Monday
        ("2026-08-28 10:00", "2026-09-03 17:00"),  # over the 31/8 swap and National Day 1-2/9
    ],
)
def test_due_soon_means_by_the_end_of_the_next_working_day(now, limit):
    assert due_soon_limit(at(now)) == at(limit)


@pytest.mark.parametrize(
    "now, due, reminded",
    [
        ("2026-02-13 10:00", "2026-02-23 17:00", True),  # first working day after Tết
        ("2026-02-13 10:00", "2026-02-24 17:00", False),
        ("2026-08-21 10:00", "2026-08-22 17:00", True),  # due on the make-up Saturday
        ("2026-08-21 10:00", "2026-08-24 17:00", False),
        ("2026-11-20 16:00", "2026-11-23 17:00", True),
        ("2026-11-20 16:00", "2026-11-25 17:00", False),
    ],
)
def test_the_handler_is_reminded_of_the_apology_before_the_appointment(
    birth_registration, ward, staff, now, due, reminded
):
    handler, _ = staff
    d = make(birth_registration, ward, handler, due, legal="2026-12-31 17:00")
    with time_machine.travel(at(now), tick=False):
        sweep_deadlines()
    d = fresh(d)
    assert (d.due_soon_notified_at is not None) is reminded
    assert kinds(handler) == []  # no message per dossier: the digest and the badge carry it
    assert reminders_at(handler, now) == (["due_soon"] if reminded else [])
    with time_machine.travel(at(now), tick=False):
        daily_digest()
    if reminded:
        note = Notification.objects.get(user=handler, kind="digest")
        assert d.code in note.body and "Mẫu số 04" in note.body
        assert [i["code"] for i in note.items] == [d.code]
        assert OutboxMessage.objects.filter(recipient=handler.email, payload__kind="digest").count() == 1
    else:
        assert not Notification.objects.filter(user=handler).exists()


# --- overdue by the legal due -------------------------------------------------------------------------


def test_overdue_follows_the_legal_due_not_the_apology_date(birth_registration, ward, staff):
    handler, leader = staff
    apologised = make(birth_registration, ward, handler, "2026-11-27 17:00", legal="2026-11-20 17:00")
    paused_shift = make(birth_registration, ward, handler, "2026-11-20 17:00", legal="2026-11-25 17:00")
    with time_machine.travel(at("2026-11-20 17:05"), tick=False):
        counts = sweep_deadlines()
    apologised = fresh(apologised)
    paused_shift = fresh(paused_shift)
    assert apologised.overdue_at == at("2026-11-20 17:05")
    assert paused_shift.overdue_at is None
    assert counts["overdue_dossiers"] == 1
    assert kinds(handler) == [] and kinds(leader) == []
    # The leader's next digest names the dossier past its legal due; the handler's is about the appointment
    # they hold, which the apology moved, so the apologised dossier is not late for them.
    with time_machine.travel(at("2026-11-23 07:30"), tick=False):
        daily_digest()
    leader_digest = Notification.objects.get(user=leader, kind="digest")
    assert [i["code"] for i in leader_digest.items if i["kind"] == "past_legal_due"] == [apologised.code]
    assert apologised.code in leader_digest.body
    handler_digest = Notification.objects.get(user=handler, kind="digest")
    assert {i["code"]: i["kind"] for i in handler_digest.items} == {paused_shift.code: "overdue"}


@pytest.mark.parametrize("status", [Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT, Status.RESOLVED])
def test_paused_or_finished_dossiers_are_never_overdue(birth_registration, ward, staff, status):
    handler, _ = staff
    d = make(
        birth_registration,
        ward,
        handler,
        "2026-11-20 17:00",
        status=status,
        supplement_due_at=at("2026-12-20 17:00"),
    )
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        sweep_deadlines()
    d = fresh(d)
    assert d.overdue_at is None and not Notification.objects.exists()


def test_a_second_sweep_sends_nothing_twice(birth_registration, ward, staff):
    handler, leader = staff
    make(birth_registration, ward, handler, "2026-11-20 17:00")
    make(birth_registration, ward, handler, "2026-11-23 17:00")
    with time_machine.travel(at("2026-11-20 17:30"), tick=False):
        first = sweep_deadlines()
        before = (Notification.objects.count(), OutboxMessage.objects.count())
        second = sweep_deadlines()
    assert first["overdue_dossiers"] == 1 and first["due_soon_dossiers"] == 2
    assert second == {k: 0 for k in first}
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


def test_an_overdue_dossier_still_unmarked_for_due_soon_is_marked_silently(birth_registration, ward, staff):
    handler, _ = staff
    d = make(birth_registration, ward, handler, "2026-11-16 17:00")
    with time_machine.travel(at("2026-11-20 10:00"), tick=False):
        sweep_deadlines()
    d = fresh(d)
    assert d.due_soon_notified_at is not None
    assert kinds(handler) == [] and reminders_at(handler, "2026-11-20 10:00") == ["overdue"]


@pytest.mark.parametrize(
    ("new_date", "reminded_at"),
    [(date(2026, 11, 26), "2026-11-25 10:00"), (date(2026, 11, 17), "2026-11-16 10:05")],
    ids=["later", "next_day"],
)
def test_an_apology_rearms_the_reminder_for_the_new_appointment(
    birth_registration, ward, staff, new_date, reminded_at
):
    from dossiers.lifecycle.services import apologize

    handler, _ = staff
    d = make(birth_registration, ward, handler, "2026-11-16 17:00", legal="2026-11-16 17:00")
    with time_machine.travel(at("2026-11-13 10:00"), tick=False):
        sweep_deadlines()
    with time_machine.travel(at("2026-11-16 10:00"), tick=False):
        apologize(d.code, handler, {"reason": "Cần xác minh thêm", "new_due_date": new_date})
        assert fresh(d).due_soon_notified_at is None  # the reminder was for the old appointment
    with time_machine.travel(at(reminded_at), tick=False):
        sweep_deadlines()
    assert fresh(d).due_soon_notified_at == at(reminded_at)  # marked again, for the new appointment
    assert reminders_at(handler, reminded_at) == ["due_soon"]


# --- steps ---------------------------------------------------------------------------------------------


def _open_step(d, assignee, due: str, order: int = 2) -> DossierStep:
    step = d.steps.get(order=order)
    step.started_at, step.assignee, step.due_at = at(due) - timedelta(days=2), assignee, at(due)
    step.save()
    return step


def test_an_overdue_step_is_marked_and_reminds_its_assignee(birth_registration, ward, staff):
    handler, leader = staff
    d = make(birth_registration, ward, handler, "2026-11-27 17:00")
    step = _open_step(d, handler, "2026-11-19 17:00")
    with time_machine.travel(at("2026-11-20 08:00"), tick=False):
        counts = sweep_deadlines()
    step.refresh_from_db()
    assert counts["overdue_steps"] == 1 and step.overdue_at is not None
    assert kinds(handler) == [] and kinds(leader) == []
    items = reminders.items_for([handler.pk, leader.pk], at("2026-11-20 08:00"))
    assert [(i.kind, i.step) for i in items[handler.pk]] == [("step_overdue", step.name)]
    assert items[leader.pk] == []


def test_a_step_due_soon_reminds_its_assignee(birth_registration, ward, staff):
    handler, leader = staff
    d = make(birth_registration, ward, handler, "2026-11-27 17:00")
    _open_step(d, handler, "2026-11-23 17:00")
    with time_machine.travel(at("2026-11-20 10:00"), tick=False):
        sweep_deadlines()
        sweep_deadlines()
    assert kinds(handler) == [] and kinds(leader) == []
    assert reminders_at(handler, "2026-11-20 10:00") == ["step_due_soon"]
    assert reminders_at(leader, "2026-11-20 10:00") == []


def test_finished_steps_are_left_alone(birth_registration, ward, staff):
    handler, _ = staff
    d = make(birth_registration, ward, handler, "2026-11-27 17:00")
    step = _open_step(d, handler, "2026-11-19 17:00")
    step.finished_at = at("2026-11-19 16:00")
    step.save()
    with time_machine.travel(at("2026-11-20 08:00"), tick=False):
        assert sweep_deadlines()["overdue_steps"] == 0


# --- supplements ---------------------------------------------------------------------------------------


def test_an_expired_supplement_request_stops_the_dossier_and_tells_the_citizen(
    birth_registration, ward, staff
):
    handler, _ = staff
    d = make(
        birth_registration,
        ward,
        handler,
        "2026-12-20 17:00",
        status=Status.SUPPLEMENT_REQUESTED,
        supplement_due_at=at("2026-11-20 17:00"),
        applicant_email="binh@example.vn",
    )
    waiting = make(
        birth_registration,
        ward,
        handler,
        "2026-12-20 17:00",
        status=Status.SUPPLEMENT_REQUESTED,
        supplement_due_at=at("2026-11-23 17:00"),
    )
    with time_machine.travel(at("2026-11-20 17:10"), tick=False):
        counts = sweep_deadlines()
        assert sweep_deadlines()["expired_supplements"] == 0
    d = fresh(d)
    waiting = fresh(waiting)
    assert counts["expired_supplements"] == 1
    assert d.status == Status.STOPPED and waiting.status == Status.SUPPLEMENT_REQUESTED
    assert DossierEvent.objects.filter(dossier=d, action="expire_supplement").count() == 1
    sent = OutboxMessage.objects.filter(dossier=d, payload__kind="supplement_expired")
    assert sorted(sent.values_list("channel", "recipient")) == [
        ("email", "binh@example.vn"),
        ("sms", "0912345678"),
    ]


# --- the lock, and cost --------------------------------------------------------------------------------


def _other_connection():
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        host=s.get("HOST") or "127.0.0.1",
        port=s.get("PORT") or 5432,
        autocommit=True,
    )


def test_a_sweep_already_running_elsewhere_is_not_repeated(birth_registration, ward, staff):
    handler, _ = staff
    d = make(birth_registration, ward, handler, "2026-11-20 17:00")
    with _other_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEYS["deadlines"]])
        with time_machine.travel(at("2026-11-23 09:00"), tick=False):
            assert sweep_deadlines() is None
        d = fresh(d)
        assert d.overdue_at is None
        other.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEYS["deadlines"]])
    with time_machine.travel(at("2026-11-23 09:00"), tick=False):
        assert sweep_deadlines()["overdue_dossiers"] == 1


def _grow(procedure, ward, handler, n: int) -> None:
    for _ in range(n):
        d = make(procedure, ward, handler, "2026-11-19 17:00")
        _open_step(d, handler, "2026-11-18 17:00")
        make(procedure, ward, handler, "2026-11-23 17:00")
        make(procedure, ward, handler, "2026-12-20 17:00")  # far from due: never read


def test_query_count_follows_batches_not_changes(birth_registration, ward, staff, django_assert_num_queries):
    from django.test.utils import CaptureQueriesContext

    handler, _ = staff
    due_soon_limit(at("2026-11-20 10:00"))  # the calendar loads its overrides once per process
    _grow(birth_registration, ward, handler, 2)
    with time_machine.travel(at("2026-11-20 10:00"), tick=False), CaptureQueriesContext(connection) as small:
        sweep_deadlines()
    Notification.objects.all().delete()
    _grow(birth_registration, ward, handler, 12)
    with time_machine.travel(at("2026-11-20 10:00"), tick=False), django_assert_num_queries(len(small)):
        counts = sweep_deadlines()
    assert counts["overdue_dossiers"] == 12 and counts["overdue_steps"] == 12


def test_the_sweep_uses_the_partial_indexes(birth_registration, ward, staff):
    from dossiers.lifecycle.predicates import appointment_due_by_sql, past_legal_due_sql, step_due_by_sql

    handler, _ = staff
    make(birth_registration, ward, handler, "2026-11-20 17:00")
    claims = [
        f"SELECT id FROM dossiers_dossier d WHERE {past_legal_due_sql('d')} AND d.overdue_at IS NULL"
        " ORDER BY d.legal_due_at LIMIT 10",
        f"SELECT id FROM dossiers_dossier d WHERE {appointment_due_by_sql('d')}"
        " AND d.due_soon_notified_at IS NULL ORDER BY d.due_at LIMIT 10",
        "SELECT s.id FROM dossiers_dossierstep s JOIN dossiers_dossier d ON d.id = s.dossier_id"
        f" WHERE {step_due_by_sql()} AND s.overdue_at IS NULL ORDER BY s.due_at LIMIT 10",
    ]
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in claims:
            cursor.execute(f"EXPLAIN {sql}", [at("2026-11-20 17:00")])
            plans.append("\n".join(r[0] for r in cursor.fetchall()))
    assert "dossier_overdue_pending" in plans[0]
    assert "dossier_due_soon_pending" in plans[1]
    assert "step_overdue_pending" in plans[2]


# --- the daily digest ----------------------------------------------------------------------------------


@pytest.fixture
def digest_world(birth_registration, ward, province, staff, supervisor):
    handler, leader = staff
    province_supervisor = factories.user(role=Role.SUPERVISOR, agency=province, email="tinh@example.gov.vn")
    make(birth_registration, ward, handler, "2026-11-19 17:00")  # overdue
    make(birth_registration, ward, handler, "2026-11-20 17:00")  # due today
    make(birth_registration, ward, handler, "2026-11-23 17:00")  # due soon
    make(birth_registration, ward, handler, "2026-12-20 17:00")  # open
    return leader, supervisor, province_supervisor


def test_the_digest_tells_leaders_and_supervisors_once_a_working_day(digest_world, staff):
    leader, supervisor, province_supervisor = digest_world
    handler, _ = staff
    with time_machine.travel(at("2026-11-20 07:30"), tick=False):
        assert daily_digest() == 4  # the leader, both supervisors and the handler
        assert daily_digest() == 0
    note = Notification.objects.get(user=leader, kind="digest")
    assert "1 quá hạn, 1 đến hạn hôm nay, 1 sắp đến hạn" in note.title
    assert "Đang giải quyết: 4" in note.body
    assert Notification.objects.filter(user=province_supervisor, kind="digest").count() == 1
    # The handler's own digest: their overdue, due-today and due-soon dossiers, one message with a link each.
    mine = Notification.objects.get(user=handler, kind="digest")
    assert [i["kind"] for i in mine.items] == ["overdue", "due_soon", "due_soon"]
    assert "3 hồ sơ" in mine.title and mine.body.count("/dossiers/") == 3
    assert kinds(handler) == ["digest"]
    assert OutboxMessage.objects.filter(payload__kind="digest").count() == 3  # those with an email


@pytest.mark.parametrize("day", ["2026-11-21 07:30", "2026-11-24 07:30", "2026-02-17 07:30"])
def test_no_digest_on_days_off(digest_world, day):
    with time_machine.travel(at(day), tick=False):
        assert daily_digest() == 0
    assert not Notification.objects.filter(kind="digest").exists()


def test_the_make_up_saturday_has_a_digest(digest_world):
    with time_machine.travel(at("2026-08-22 07:30"), tick=False):
        assert daily_digest() == 3  # the handler's dossiers are months from due: nothing for them


def test_the_digest_reaches_the_mailbox_one_email_a_person(birth_registration, ward, staff):
    from dossiers.notify.outbox import drain

    handler, leader = staff
    for _ in range(5):
        d = make(birth_registration, ward, handler, "2026-11-19 17:00")
        _open_step(d, handler, "2026-11-18 17:00")
    with time_machine.travel(at("2026-11-20 07:30"), tick=False):
        sweep_deadlines()
        daily_digest()
        assert drain()["sent"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == [handler.email, leader.email]
    handler_mail = next(m for m in mail.outbox if m.to[0] == handler.email)
    assert "10 hồ sơ" in handler_mail.subject and handler_mail.body.count("/dossiers/") == 10
