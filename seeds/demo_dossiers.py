"""Demo dossiers for the demo wards, made by driving the real services at past dates (real timelines).

Each service call is given the past moment it happens at (`at=`); the rows that models stamp from the clock
(creation times, inbox notifications, outbox messages) are then dated to that moment too.

Called by `manage.py seed_demo` after the demo staff exist. Idempotent: nothing happens when the demo wards
already have dossiers. Every status appears; due dates fall around today, some overdue, some due soon.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import CITIZEN, DEMO_WARDS, ROLE_PREFIX, demo_agencies
from accounts.models import Agency, Role, User
from config.errors import DomainError
from dossiers.lifecycle.services import perform, receive_at_counter, submit_online
from dossiers.models import Dossier, Notification, OutboxMessage, ResultDraft
from procedures.calendar import LOCAL_TZ, calendar, local
from procedures.fees import dossier_fee
from procedures.models import Procedure
from seeds.citizens import CITIZENS
from seeds.demo_tickets import seed_demo_tickets

PER_WARD = 80
DAYS_BACK = 45  # calendar days of history
SEED = 2026

STREETS = [
    "Hàng Bạc",
    "Hàng Gai",
    "Lý Thái Tổ",
    "Tràng Thi",
    "Điện Biên Phủ",
    "Hoàng Diệu",
    "Kim Mã",
    "Đội Cấn",
    "Phan Đình Phùng",
    "Quán Thánh",
    "Lê Duẩn",
    "Hai Bà Trưng",
]
APOLOGY_REASONS = [
    "Cần xác minh thêm thông tin với cơ quan liên quan",
    "Hệ thống cơ sở dữ liệu hộ tịch gián đoạn",
    "Người có thẩm quyền ký đi công tác đột xuất",
]


@dataclass
class Ward:
    agency: Agency
    clerk: User
    handler: User
    leader: User


class _Skip(Exception):
    """The scenario does not fit in the time between receipt and now."""


def _at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=LOCAL_TZ)


def _wd(d: date, n: int) -> date:
    return calendar.add_working_days(d, n)


class _Story:
    """One dossier's life: actions at given local times, each performed at that time."""

    def __init__(
        self, rng: random.Random, ward: Ward, procedure: Procedure, received: datetime, now: datetime
    ):
        self.rng, self.ward, self.procedure, self.received, self.now = rng, ward, procedure, received, now
        self.code = ""
        self.last = received

    def when(self, t: datetime) -> datetime:
        t = max(t, self.last + timedelta(minutes=7))
        if t >= self.now - timedelta(minutes=5):
            raise _Skip
        self.last = t
        return t

    def act(self, t: datetime, action: str, actor: User | None, data: dict | None = None) -> None:
        t = self.when(t)
        perform(self.code, action, actor, data or {}, at=t)
        self._date_clock_stamps(t)

    def _date_clock_stamps(self, t: datetime) -> None:
        """Date what this story's last call stamped with the wall clock (after `now`) to its moment `t`."""
        written = {"dossier_id": self.dossier.pk, "created_at__gte": self.now}
        Notification.objects.filter(**written).update(created_at=t)
        OutboxMessage.objects.filter(**written).update(created_at=t, next_attempt_at=t)
        Dossier.objects.filter(pk=self.dossier.pk, created_at__gte=self.now).update(created_at=t)

    def applicant(self) -> dict:
        """One of the citizens the population simulator knows (seeds/citizens.py), so the demo's periodic
        check verifies the dossiers received while it was not running."""
        rng = self.rng
        citizen = rng.choice(CITIZENS)
        return {
            "name": citizen.name,
            "id_number": citizen.id_number,
            "birth_date": citizen.birth_date,
            "phone": f"0{rng.choice('3579')}{rng.randint(0, 99999999):08d}",
            "email": rng.choice(["", "", f"congdan{rng.randint(100, 999)}@example.vn"]),
            "address": citizen.address,
        }

    def receive(self, *, missing: bool = False) -> None:
        requirements = list(self.procedure.requirements.all())
        provided = [r.pk for r in requirements]
        lacking = None
        required = [r for r in requirements if r.required]
        if missing and required:
            gap = self.rng.choice(required)
            provided.remove(gap.pk)
            lacking = [{"requirement_id": gap.pk, "reason": "Chưa có bản chính để đối chiếu"}]
        t = self.when(self.received)
        d = receive_at_counter(
            actor=self.ward.clerk,
            agency=self.ward.agency,
            procedure=self.procedure,
            applicant=self.applicant(),
            provided_requirement_ids=provided,
            channel=self.rng.choice(["counter"] * 6 + ["post"]),
            missing=lacking,
            at=t,
        )
        self.code = d.code
        self.dossier = d
        self._date_clock_stamps(t)

    def submit_online(self, citizen: User) -> None:
        t = self.when(self.received)
        d = submit_online(
            applicant_user=citizen,
            agency=self.ward.agency,
            procedure=self.procedure,
            applicant=self.applicant(),
            provided_requirement_ids=[r.pk for r in self.procedure.requirements.all()],
            at=t,
        )
        self.code = d.code
        self.dossier = d
        self._date_clock_stamps(t)

    def due(self) -> datetime:
        return local(Dossier.objects.values_list("due_at", flat=True).get(code=self.code))

    def forward_to_handler(self, t: datetime) -> None:
        self.act(t, "forward", self.ward.clerk, {"note": "Hồ sơ đầy đủ, hợp lệ"})

    def through_approval(self, handler_at: datetime, leader_at: datetime, outcome: str = "approved") -> None:
        if self._next_role() == Role.HANDLER:
            if outcome == "approved":
                self.act(handler_at, "draft_result", self.ward.handler, self.draft_content())
            self.act(handler_at, "forward", self.ward.handler, {"note": "Đủ điều kiện, trình ký"})
        data = {"outcome": outcome}
        if outcome == "denied":
            data["reason"] = "Không đủ điều kiện theo quy định"
        else:
            drafts = ResultDraft.objects.filter(dossier__code=self.code)
            data["draft_version"] = drafts.order_by("-version").values_list("version", flat=True).first()
        self.act(leader_at, "resolve", self.ward.leader, data)

    def draft_content(self) -> dict:
        """The handler's draft on the template of the procedure's result kind."""
        name = self.procedure.name.lower()
        return {
            "grounds": "Căn cứ Luật Tổ chức chính quyền địa phương;",
            "articles": f"Điều 1. Giải quyết {name} theo đề nghị của người nộp.\n"
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "particulars": f"{self.procedure.result_type or self.procedure.name}: cấp theo quy định.",
            "body": f"Hồ sơ {name} đã được giải quyết theo quy định.",
        }

    def _next_role(self) -> str:
        d = Dossier.objects.select_related("current_step").get(code=self.code)
        return d.current_step.role if d.current_step else ""


def _finished(s: _Story, late: bool = False, returned: bool = True, outcome: str = "approved") -> None:
    s.receive()
    r = s.received
    s.forward_to_handler(r + timedelta(minutes=25))
    due = s.due()
    if late:
        done = _at(_wd(due.date(), s.rng.randint(1, 2)), 10, s.rng.randint(0, 50))
    else:
        span = max(0, calendar.working_days_between(r.date(), due.date()))
        done_day = _wd(r.date(), s.rng.randint(0, span)) if span else r.date()
        done = _at(done_day, 15, s.rng.randint(0, 40)) if done_day == r.date() else _at(done_day, 9, 30)
    s.through_approval(done - timedelta(hours=1), done, outcome)
    if returned:
        method = s.rng.choice(["in_person", "in_person", "electronic"])
        s.act(
            done + timedelta(minutes=s.rng.randint(20, 90)), "return_result", s.ward.clerk, {"method": method}
        )


def returned_on_time(s: _Story) -> None:
    _finished(s)


def returned_late(s: _Story) -> None:
    _finished(s, late=True)


def denied(s: _Story) -> None:
    _finished(s, outcome="denied")


def resolved_waiting(s: _Story) -> None:
    _finished(s, returned=False)


def processing(s: _Story) -> None:
    s.receive()
    s.forward_to_handler(s.received + timedelta(minutes=30))


def at_leader(s: _Story) -> None:
    processing(s)
    s.act(s.received + timedelta(hours=2), "forward", s.ward.handler, {"note": "Trình lãnh đạo ký"})


def received_only(s: _Story) -> None:
    s.receive()


def apologized(s: _Story) -> None:
    processing(s)
    due = s.due()
    before = min(_at(due.date(), 9, 15), s.now - timedelta(hours=1))
    new_day = max(_wd(due.date(), s.rng.randint(2, 4)), _wd(local(s.now).date(), s.rng.randint(1, 3)))
    s.act(
        before,
        "apologize",
        s.ward.handler,
        {"reason": s.rng.choice(APOLOGY_REASONS), "new_due_date": new_day.isoformat()},
    )


def supplement_waiting(s: _Story) -> None:
    processing(s)
    s.act(
        s.received + timedelta(hours=3),
        "request_supplement",
        s.ward.handler,
        {
            "missing": [
                {"name": s.procedure.requirements.first().name, "reason": "Bản sao chưa được chứng thực"},
                {"name": "Giấy xác nhận cư trú", "reason": "Cần bổ sung để xác định thẩm quyền"},
            ]
        },
    )


def supplement_done(s: _Story) -> None:
    supplement_waiting(s)
    back = _at(_wd(s.received.date(), 2), 8, 40)
    s.act(back, "supplement", s.ward.clerk, {"note": "Công dân đã nộp bổ sung"})
    due = s.due()
    s.through_approval(_at(due.date(), 9), _at(due.date(), 10, 30))
    s.act(_at(due.date(), 14), "return_result", s.ward.clerk, {"method": "in_person"})


def intake_supplement(s: _Story) -> None:
    s.receive(missing=True)


def awaiting_payment(s: _Story) -> None:
    processing(s)
    s.act(s.received + timedelta(hours=2), "request_payment", s.ward.handler, {"amount": 15000})


def paid(s: _Story) -> None:
    awaiting_payment(s)
    s.act(_at(_wd(s.received.date(), 1), 9), "confirm_payment", s.ward.clerk, {"note": "Nộp tại quầy"})


def withdrawn(s: _Story) -> None:
    processing(s)
    s.act(s.received + timedelta(hours=4), "withdraw", s.ward.clerk, {"reason": "Công dân đề nghị rút hồ sơ"})


def stopped(s: _Story) -> None:
    processing(s)
    s.act(
        s.received + timedelta(hours=5),
        "stop",
        s.ward.handler,
        {
            "reason": "Người yêu cầu không còn đủ điều kiện theo quy định",
            "legal_ground": "Nghị định số 118/2025/NĐ-CP; quy định của thủ tục về điều kiện giải quyết",
        },
    )


def online_waiting(s: _Story) -> None:
    s.submit_online(s.citizen)


def online_refused(s: _Story) -> None:
    s.submit_online(s.citizen)
    s.act(
        s.received + timedelta(hours=1),
        "refuse_intake",
        s.ward.clerk,
        {"reason": "Thủ tục không thuộc thẩm quyền giải quyết của phường"},
    )


def online_received(s: _Story) -> None:
    s.submit_online(s.citizen)
    s.act(s.received + timedelta(minutes=40), "receive", s.ward.clerk)
    s.forward_to_handler(s.received + timedelta(hours=1))


def online_awaiting_payment(s: _Story) -> None:
    """Filed online by the demo citizen and waiting for its fee, to be paid at the payment simulator."""
    online_received(s)
    fee = dossier_fee(s.procedure, online=True)
    s.act(
        s.received + timedelta(hours=2), "request_payment", s.ward.handler, {} if fee else {"amount": 15000}
    )


# (scenario, weight) for dossiers whose appointment has passed, and for recent ones.
PAST = [
    (returned_on_time, 60),
    (returned_late, 4),
    (denied, 3),
    (resolved_waiting, 6),
    (supplement_done, 6),
    (paid, 3),
    (withdrawn, 4),
    (stopped, 2),
    (online_refused, 3),
    (processing, 5),
    (at_leader, 2),
    (apologized, 3),
    (supplement_waiting, 3),
    (intake_supplement, 2),
    (awaiting_payment, 2),
]
RECENT = [
    (processing, 14),
    (at_leader, 6),
    (received_only, 6),
    (supplement_waiting, 6),
    (intake_supplement, 4),
    (awaiting_payment, 4),
    (online_waiting, 6),
    (online_received, 5),
    (online_awaiting_payment, 3),
    (returned_on_time, 20),
    (resolved_waiting, 6),
    (apologized, 2),
]


def _staff(agency: Agency, slug: str) -> Ward:
    users = {u.username: u for u in User.objects.filter(username__endswith=f".{slug}")}
    by_role = {role: users[f"{prefix}.{slug}"] for role, prefix in ROLE_PREFIX.items()}
    return Ward(agency, by_role[Role.CLERK], by_role[Role.HANDLER], by_role[Role.LEADER])


def _receipt_times(rng: random.Random, today: date, n: int) -> list[datetime]:
    days = [today - timedelta(days=i) for i in range(DAYS_BACK, -1, -1)]
    days = [d for d in days if calendar.is_working_day(d)]
    # More recent days are busier, so the open queue is realistic.
    picks = rng.choices(days, weights=[1 + i / len(days) for i in range(len(days))], k=n)
    times = [_at(d, rng.choice([7, 8, 9, 10, 13, 14, 15, 16]), rng.randint(0, 59)) for d in picks]
    return sorted(times)


def seed_demo_dossiers(stdout) -> None:
    """A few hundred dossiers across every status for the demo wards (skipped when they already have some)."""
    province, wards = demo_agencies()
    seed_demo_tickets(wards, stdout)  # the queue of each ward (skipped where it exists)
    if Dossier.objects.filter(receiving_agency__in=wards).exists():
        stdout.write("Hồ sơ mẫu đã có, bỏ qua.")
        return
    procedures = list(
        Procedure.objects.filter(active=True, level=Procedure.Level.COMMUNE, requirements__isnull=False)
        .prefetch_related("requirements", "steps")
        .distinct()
        .order_by("code")
    )
    if not procedures:
        stdout.write("Chưa có danh mục thủ tục (import_procedures); không tạo hồ sơ mẫu.")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    citizen = User.objects.get(username=CITIZEN[0])
    counts: Counter = Counter()
    for agency, (_, slug) in zip(wards, DEMO_WARDS, strict=True):
        ward = _staff(agency, slug)
        for received in _receipt_times(rng, local(now).date(), PER_WARD):
            procedure = rng.choice(procedures)
            story = _Story(rng, ward, procedure, received, now)
            story.citizen = citizen
            due_passed = _story_due(procedure, received) < now
            table = PAST if due_passed else RECENT
            scenario = rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]
            try:
                with transaction.atomic():
                    scenario(story)
            except (_Skip, DomainError):
                # Later steps would be in the future: keep the simplest story that fits instead.
                story = _Story(rng, ward, procedure, received, now)
                story.citizen = citizen
                try:
                    with transaction.atomic():
                        received_only(story)
                except (_Skip, DomainError):
                    continue
            counts[Dossier.objects.values_list("status", flat=True).get(code=story.code)] += 1
    summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
    stdout.write(f"Hồ sơ mẫu: {sum(counts.values())} hồ sơ ({summary}).")


def _story_due(procedure: Procedure, received: datetime) -> datetime:
    from dossiers.lifecycle.deadlines import appointment_for

    return appointment_for(received, procedure.processing_days, procedure.time_unit)
