"""Bulk generator of realistic dossiers, with their steps and events, written by PostgreSQL COPY.

Deterministic for a given seed, catalogue, agencies and end time. Receipts fall on working days in office
hours; due dates come from dossiers.deadlines; codes follow `{agency code}-{yyMMdd}-{NNNN}` continuing each
agency's DailySequence, which is raised to the highest number used so later intakes never collide.
"""

from __future__ import annotations

import json
import random
import time as _time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import Agency
from procedures.calendar import LOCAL_TZ, calendar, local
from procedures.models import Procedure

from . import deadlines
from .models import Channel, DailySequence, Dossier, DossierEvent, DossierStep, Outcome, Status

OFFICE_MINUTES = [(7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)]
CHANNELS = [(Channel.ONLINE, 0.60), (Channel.COUNTER, 0.37), (Channel.POST, 0.03)]
FINISHED_FATES = [("returned", 0.955), ("refused", 0.01), ("withdrawn", 0.025), ("stopped", 0.01)]
OPEN_STATUSES = [
    (Status.SUBMITTED, 0.03),
    (Status.RECEIVED, 0.25),
    (Status.PROCESSING, 0.55),
    (Status.SUPPLEMENT_REQUESTED, 0.09),
    (Status.AWAITING_PAYMENT, 0.02),
    (Status.RESOLVED, 0.06),
]
SATISFACTION = [("very_satisfied", 0.55), ("satisfied", 0.38), ("not_satisfied", 0.02), ("", 0.05)]
STAFF_NAME = "Cán bộ một cửa"


@dataclass
class Options:
    count: int
    agencies: int | None = None
    seed: int = 1
    open_share: float = 0.05
    late_share: float = 0.01
    online_share: float = 0.60
    days: int = 365
    end: datetime | None = None
    batch: int = 25_000
    rebuild_indexes_from: int = 200_000  # drop and rebuild plain indexes for loads at least this large


@dataclass
class Result:
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return self.dossiers + self.steps + self.events


# -- COPY text format ------------------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _clean(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _ts(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat(" ")


@lru_cache(maxsize=8192)
def _ts_due(value: datetime) -> str:
    """Due datetimes repeat (end of office hours on a few hundred dates): format each once."""
    return value.isoformat(" ")


_FORMAT = {
    type(None): lambda v: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    str: lambda v: _clean(v),
    datetime: lambda v: v.isoformat(" "),
    date: date.isoformat,
    dict: lambda v: json.dumps(v, ensure_ascii=False).translate(_ESCAPES),
    list: lambda v: json.dumps(v, ensure_ascii=False).translate(_ESCAPES),
}


def _fmt(value) -> str:
    """One cell of COPY's text format."""
    formatter = _FORMAT.get(type(value))
    return formatter(value) if formatter else str(value).translate(_ESCAPES)


class _Table:
    """Column order and default cells of a model: `leading` columns first, then every other column, whose
    default cells form a constant `tail` (so rows only carry what the generator sets)."""

    def __init__(self, model, leading: tuple[str, ...] = ()):
        self.name = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if f.column != "id"]
        by_att = {f.attname: f for f in fields}
        first = [by_att[a] for a in leading]
        rest = [f for f in fields if f.attname not in leading]
        self.columns = ["id", *(f.column for f in first), *(f.column for f in rest)]
        self.column_list = ", ".join(f'"{c}"' for c in self.columns)
        self.attnames = [f.attname for f in first + rest]
        self.defaults = {
            f.attname: _fmt(f.get_default()) if f.has_default() or f.null else None for f in fields
        }
        missing = [f.attname for f in rest if self.defaults[f.attname] is None]
        self.tail = "".join("\t" + self.defaults[f.attname] for f in rest) if not missing else None

    def line(self, pk: int, values: dict) -> str:
        cells = [str(pk)]
        for name in self.attnames:
            cells.append(_fmt(values[name]) if name in values else self.defaults[name])
        return "\t".join(cells) + "\n"


EVENT_COLUMNS = (
    "dossier_id",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "from_status",
    "to_status",
    "note",
    "payload",
    "public",
)
STEP_COLUMNS = (
    "dossier_id",
    "order",
    "name",
    "role",
    "agency_id",
    "assignee_id",
    "started_at",
    "due_at",
    "finished_at",
    "due_soon_notified_at",
    "overdue_at",
)


def _step_line(table: _Table, pk: int, dossier_id: int, s: dict) -> str:
    return (
        f"{pk}\t{dossier_id}\t{s['order']}\t{_clean(s['name'])}\t{s['role']}\t{s['agency_id']}\t\\N\t"
        f"{_ts(s.get('started_at'))}\t{_ts_due(s['due_at'])}\t{_ts(s.get('finished_at'))}\t\\N\t"
        f"{_ts(s.get('overdue_at'))}{table.tail}\n"
    )


def _reserve_ids(cursor, table: str, n: int) -> int:
    """First of n consecutive ids taken from the table's sequence (the table is locked by the caller)."""
    if n == 0:
        return 0
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"nextval(pg_get_serial_sequence('{table}', 'id')) + %s - 1)",
        [n],
    )
    return cursor.fetchone()[0] - n + 1


# -- choices ---------------------------------------------------------------------------------------


def _pick(rng: random.Random, weighted: list[tuple[object, float]]):
    x, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if x < acc:
            return value
    return weighted[-1][0]


def _office_time(rng: random.Random, day: date, after: datetime | None = None) -> datetime:
    lo, hi = OFFICE_MINUTES[0] if rng.random() < 0.55 else OFFICE_MINUTES[1]
    minute = rng.randrange(lo, hi)
    at = datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randrange(60), tzinfo=LOCAL_TZ)
    if after is not None and at <= after:
        at = after + timedelta(minutes=rng.randrange(5, 90))
    return at


def _working_days(first: date, last: date) -> list[date]:
    return [first] * calendar.is_working_day(first) + calendar.working_days_in(first, last)


# -- one dossier -----------------------------------------------------------------------------------


@dataclass
class _Proc:
    id: int
    version: int
    days: int
    unit: str
    fee: int
    steps: list[tuple[str, str, int]]  # (name, role, days)
    weight: float
    name: str = ""

    def __post_init__(self):
        self.step_json = [
            json.dumps(name, ensure_ascii=False).translate(_ESCAPES) for name, _, _ in self.steps
        ]
        self.step_days = [days for _, _, days in self.steps]


class _Builder:
    """Builds one dossier's row, its steps and its events as plain dicts (ids are given at COPY time)."""

    def __init__(self, rng: random.Random, end: datetime, opts: Options):
        self.rng, self.end, self.opts = rng, end, opts

    def build(self, proc: _Proc, agency, competent, received: datetime, is_open: bool, late: bool):
        rng = self.rng
        status = _pick(rng, OPEN_STATUSES) if is_open else _pick(rng, FINISHED_FATES)
        channel = (
            Channel.ONLINE
            if status == Status.SUBMITTED or rng.random() < self.opts.online_share
            else (Channel.COUNTER if rng.random() < 0.92 else Channel.POST)
        )
        name, id_number, phone, address = person(rng)
        due = deadlines.appointment_for(received, proc.days, proc.unit)
        d = {
            "procedure_id": proc.id,
            "procedure_version": proc.version,
            "receiving_agency_id": agency[0],
            "competent_agency_id": competent[0],
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": phone,
            "applicant_address": address,
            "subject": "",
            "channel": channel,
            "created_at": received,
            "updated_at": received,
            "submitted_at": received if channel == Channel.ONLINE else None,
            "received_at": received,
            "clock_started_at": received,
            "due_at": due,
            "legal_due_at": due,
            "original_due_at": due,
            "tracking_pin": f"{rng.randrange(1_000_000):06d}",
            "is_digitised": rng.random() < 0.9,
            "reuses_data": rng.random() < 0.65,
            "fee_amount": proc.fee,
        }
        if proc.fee:
            d["paid_at"], d["paid_online"] = received, channel == Channel.ONLINE and rng.random() < 0.8
        events: list[dict] = []
        if channel == Channel.ONLINE:
            submitted = received - timedelta(minutes=rng.randrange(10, 60 * 30))
            d["submitted_at"] = d["created_at"] = submitted
            events.append(self._event("submit", submitted, Status.DRAFT, Status.SUBMITTED))
        if status == Status.SUBMITTED:
            d.update(
                status=status,
                received_at=None,
                clock_started_at=None,
                due_at=None,
                legal_due_at=None,
                original_due_at=None,
            )
            return d, [], events, status
        if status == "refused":
            at = received + timedelta(minutes=rng.randrange(5, 40))
            d.update(
                status=Status.REFUSED,
                due_at=None,
                legal_due_at=None,
                original_due_at=None,
                finished_at=at,
                clock_started_at=None,
                outcome_note="Hồ sơ không thuộc thẩm quyền tiếp nhận.",
                updated_at=at,
            )
            events.append(
                self._event(
                    "refuse_intake", at, Status.SUBMITTED, Status.REFUSED, {"reason": d["outcome_note"]}
                )
            )
            return d, [], events, Status.REFUSED
        events.append(
            self._event(
                "receive",
                received,
                Status.SUBMITTED,
                Status.RECEIVED,
                f'{{"channel": "{channel}", "due_at": "{due.isoformat()}"}}',
            )
        )
        # Supplements (pauses) move the due dates by the paused working days.
        pauses = 2 if rng.random() < 0.004 else (1 if rng.random() < 0.05 else 0)
        pause_at = None
        for _ in range(pauses):
            # Paused on a working day no later than the due date, resumed 1-5 working days later.
            start = pause_at or received
            first = pause_at.date() if pause_at else deadlines.start_day(received)
            room = max(calendar.working_days_between(first, d["due_at"].date()), 0)
            pause_day = calendar.add_working_days(first, rng.randrange(0, room + 1))
            pause_at = _office_time(rng, pause_day, after=start)
            resume_at = _office_time(rng, calendar.add_working_days(pause_day, rng.randrange(1, 6)))
            if (
                is_open
                and status == Status.SUPPLEMENT_REQUESTED
                and resume_at >= self.end
                or pause_at >= self.end
            ):
                break
            d["due_at"], days = deadlines.shift_for_pause(d["due_at"], pause_at, resume_at)
            d["legal_due_at"] = d["due_at"]  # the first appointment stays in original_due_at
            d["paused_working_days"] = d.get("paused_working_days", 0) + days
            d["supplement_count"] = d.get("supplement_count", 0) + 1
            events.append(
                self._event(
                    "request_supplement",
                    pause_at,
                    Status.PROCESSING,
                    Status.SUPPLEMENT_REQUESTED,
                    '{"missing": [], "at_intake": false}',
                )
            )
            events.append(
                self._event(
                    "supplement",
                    resume_at,
                    Status.SUPPLEMENT_REQUESTED,
                    Status.PROCESSING,
                    f'{{"paused_working_days": {days}}}',
                )
            )
            pause_at = resume_at
        due = d["due_at"]
        if is_open:
            finish = self.end
        elif late:
            finish = _office_time(rng, calendar.add_working_days(due.date(), rng.randrange(1, 4)))
        else:
            first = deadlines.start_day(received)
            if pause_at is not None:  # after the last supplement arrived
                first = max(first, calendar.add_working_days(pause_at.date(), 0))
            span = calendar.working_days_between(first, due.date())
            finish_day = (
                calendar.add_working_days(first, rng.randrange(0, span + 1)) if span > 0 else due.date()
            )
            finish = _office_time(rng, finish_day, after=received)
        lower = max(received, pause_at or received)
        finish = min(max(finish, lower + timedelta(minutes=5)), self.end - timedelta(minutes=1))
        if late and not is_open and rng.random() < 0.6:
            new_due = deadlines.end_of_office_day(max(finish.date(), due.date() + timedelta(days=1)))
            new_due = deadlines.end_of_office_day(calendar.add_working_days(new_due.date(), 0))
            apology_at = _office_time(rng, calendar.add_working_days(due.date(), -1), after=received)
            if apology_at < finish:
                d.update(due_at=new_due, apology_count=1)
                events.append(
                    self._event(
                        "apologize",
                        apology_at,
                        Status.PROCESSING,
                        Status.PROCESSING,
                        {"old_due_at": due.isoformat(), "new_due_at": new_due.isoformat()},
                    )
                )
        steps = self._steps(proc, d, agency, competent, received, finish, status, is_open)
        events.extend(self._forward_events(steps, finish, status))
        self._finish(d, steps, events, status, finish, channel, is_open)
        if (
            is_open
            and d["legal_due_at"] < self.end
            and status not in (Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT, Status.RESOLVED)
        ):
            d["overdue_at"] = d["legal_due_at"]
        return d, steps, events, d["status"]

    def _event(self, action: str, at: datetime, before: str, after: str, payload: dict | str = "{}") -> tuple:
        """(at, the event's cells after dossier_id) in EVENT_COLUMNS order; payload as JSON text or a dict."""
        body = payload if isinstance(payload, str) else _FORMAT[dict](payload)
        return at, f"{at.isoformat(' ')}\t\\N\t{STAFF_NAME}\t{action}\t{before}\t{after}\t\t{body}\tt"

    def _steps(
        self, proc: _Proc, d: dict, agency, competent, received, finish, status, is_open
    ) -> list[dict]:
        if not proc.steps:
            return []
        dues = deadlines.step_due_dates(received, proc.step_days, not_after=d["legal_due_at"])
        n = len(proc.steps)
        if is_open:
            reached = {Status.RECEIVED: 1, Status.RESOLVED: n}.get(status, max(1, min(n - 1, 2)))
        elif status == "returned":
            reached = n
        else:
            reached = self.rng.randrange(1, n + 1)
        span = (finish - received) / max(reached, 1)
        steps = []
        for i, ((name, role, _), due) in enumerate(zip(proc.steps, dues, strict=True)):
            step = {
                "json_name": proc.step_json[i],
                "order": i + 1,
                "name": name,
                "role": role,
                "due_at": due,
                "agency_id": agency[0] if role == "clerk" else competent[0],
            }
            if i < reached:
                step["started_at"] = received + span * i
                if not is_open or i < reached - 1:
                    step["finished_at"] = received + span * (i + 1)
            steps.append(step)
        return steps

    def _forward_events(self, steps: list[dict], finish: datetime, status: str) -> list[dict]:
        events = []
        for prev, step in zip(steps, steps[1:], strict=False):
            if "started_at" not in step:
                break
            events.append(
                self._event(
                    "forward",
                    step["started_at"],
                    Status.RECEIVED if prev["order"] == 1 else Status.PROCESSING,
                    Status.PROCESSING,
                    f'{{"from_step": {prev["json_name"]}, "to_step": {step["json_name"]}}}',
                )
            )
        return events

    def _finish(self, d, steps, events, status, finish, channel, is_open) -> None:
        rng = self.rng
        last = steps[-1] if steps else None
        running = Status.PROCESSING if len([s for s in steps if "started_at" in s]) > 1 else Status.RECEIVED
        if is_open:
            d["status"] = running if status in (Status.PROCESSING, Status.RECEIVED) else status
            open_step = next((s for s in steps if "started_at" in s and "finished_at" not in s), None)
            d["current_step"] = open_step
            if open_step is not None and open_step["due_at"] < self.end:
                open_step["overdue_at"] = open_step["due_at"]
            if status == Status.SUPPLEMENT_REQUESTED:
                paused = events[-1][0] if events else d["received_at"]
                paused = max(paused, self.end - timedelta(days=rng.randrange(1, 10)))
                d.update(
                    paused_at=paused,
                    supplement_due_at=deadlines.supplement_response_due(paused),
                    supplement_count=d.get("supplement_count", 0) + 1,
                )
                events.append(self._event("request_supplement", paused, running, status, '{"missing": []}'))
            elif status == Status.AWAITING_PAYMENT:
                paused = max(events[-1][0], self.end - timedelta(days=rng.randrange(1, 5)))
                d.update(paused_at=paused, paid_at=None, paid_online=False)
                events.append(
                    self._event(
                        "request_payment", paused, running, status, f'{{"amount": {d["fee_amount"]}}}'
                    )
                )
            elif status == Status.RESOLVED:
                resolved = max(events[-1][0], self.end - timedelta(hours=rng.randrange(1, 48)))
                self._resolve(d, events, resolved, running)
            d["updated_at"] = max(e[0] for e in events)
            return
        if status in ("withdrawn", "stopped"):
            action = "withdraw" if status == "withdrawn" else "stop"
            reason = (
                "Công dân xin rút hồ sơ." if action == "withdraw" else "Hồ sơ không đủ điều kiện giải quyết."
            )
            for s in steps:
                if "started_at" in s and "finished_at" not in s:
                    s["finished_at"] = finish
            d.update(status=status, finished_at=finish, outcome_note=reason, updated_at=finish)
            events.append(self._event(action, finish, running, status, {"reason": reason}))
            return
        self._resolve(d, events, finish, running)
        method = (
            "electronic"
            if channel == Channel.ONLINE and rng.random() < 0.8
            else ("post" if channel == Channel.POST else "in_person")
        )
        returned = finish + (
            timedelta(minutes=rng.randrange(1, 30))
            if method == "electronic"
            else timedelta(days=rng.randrange(0, 3), minutes=rng.randrange(5, 120))
        )
        if last is not None:
            last["finished_at"] = min(returned, self.end)
        if returned >= self.end:
            d["current_step"] = last
            d["updated_at"] = finish
            return
        d.update(
            status=Status.RETURNED,
            returned_at=returned,
            return_method=method,
            updated_at=returned,
            satisfaction=_pick(rng, SATISFACTION),
        )
        events.append(
            self._event(
                "return_result", returned, Status.RESOLVED, Status.RETURNED, f'{{"method": "{method}"}}'
            )
        )

    def _resolve(self, d, events, at, running) -> None:
        outcome = Outcome.APPROVED if self.rng.random() < 0.97 else Outcome.DENIED
        d.update(
            status=Status.RESOLVED,
            resolved_at=at,
            finished_at=at,
            outcome=outcome,
            updated_at=at,
            e_result_status=Dossier.EResult.DONE
            if outcome == Outcome.APPROVED and self.rng.random() < 0.95
            else "",
        )
        events.append(self._event("resolve", at, running, Status.RESOLVED, f'{{"outcome": "{outcome}"}}'))


# -- reference data --------------------------------------------------------------------------------

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Hoài", "Gia"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
]
STREETS = ["Hàng Bạc", "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ"]
PROVINCE_IDS = ["001", "031", "048", "079", "092", "036", "038", "040"]

# Used only when the catalogue is empty: (code, name, days, unit, fee, weight)
DEFAULT_CATALOGUE = [
    ("9.900001", "Chứng thực bản sao từ bản chính", 0, "same_day", 2000, 6),
    ("9.900002", "Đăng ký khai sinh", 0, "same_day", 0, 3),
    ("9.900003", "Cấp bản sao trích lục hộ tịch", 0, "same_day", 8000, 2),
    ("9.900004", "Cấp giấy xác nhận tình trạng hôn nhân", 3, "working_days", 0, 2),
    ("9.900005", "Chứng thực hợp đồng, giao dịch về động sản", 2, "working_days", 50000, 1),
    ("9.900006", "Đăng ký thành lập hộ kinh doanh", 3, "working_days", 100000, 1),
    ("9.900007", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, "calendar_days", 75000, 0.5),
]


def person(rng: random.Random) -> tuple[str, str, str, str]:
    """(name, 12-digit citizen ID, phone, address) of a plausible applicant."""
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    id_number = (
        f"{rng.choice(PROVINCE_IDS)}{rng.randrange(4)}{rng.randrange(100):02d}{rng.randrange(10**6):06d}"
    )
    phone = f"09{rng.randrange(10**8):08d}"
    return name, id_number, phone, f"{rng.randrange(1, 300)} {rng.choice(STREETS)}"


def default_steps(days: int) -> list[tuple[str, str, int]]:
    return [
        ("Tiếp nhận hồ sơ", "clerk", 0),
        ("Thẩm định", "handler", max(days - 1, 0)),
        ("Phê duyệt", "leader", 1 if days else 0),
        ("Trả kết quả", "clerk", 0),
    ]


def ensure_procedures() -> list[_Proc]:
    """The active catalogue with its steps and fees; a small default catalogue when there is none."""
    from procedures.models import Fee, Sector, StepTemplate

    if not Procedure.objects.filter(active=True).exists():
        sector = Sector.objects.get_or_create(code="mau", defaults={"name": "Dữ liệu mẫu"})[0]
        for code, name, days, unit, fee, _ in DEFAULT_CATALOGUE:
            p = Procedure.objects.create(code=code, name=name, sector=sector, legal_days=days, time_unit=unit)
            StepTemplate.objects.bulk_create(
                StepTemplate(procedure=p, order=i + 1, name=n, role=r, days=k)
                for i, (n, r, k) in enumerate(default_steps(days))
            )
            if fee:
                Fee.objects.create(procedure=p, name="Lệ phí", amount=fee)
    weights = {code: w for code, *_, w in DEFAULT_CATALOGUE}
    procs = []
    for p in Procedure.objects.filter(active=True).prefetch_related("steps", "fees").order_by("code"):
        steps = [(s.name, s.role, s.days) for s in sorted(p.steps.all(), key=lambda s: s.order)]
        fee = next((f.amount for f in p.fees.all()), 0)
        days = 0 if p.time_unit == Procedure.TimeUnit.SAME_DAY else p.processing_days
        weight = weights.get(p.code, 3 if days == 0 else (2 if days <= 3 else 1))
        procs.append(_Proc(p.pk, p.version, days, p.time_unit, fee, steps, weight, p.name))
    return procs


def ensure_agencies(count: int | None) -> list[tuple[int, str]]:
    """(id, code) of the commune agencies receiving dossiers: existing ones first, created up to `count`."""
    existing = list(
        Agency.objects.filter(level=Agency.Level.COMMUNE, active=True)
        .order_by("code")
        .values_list("id", "code")
    )
    wanted = count if count is not None else max(len(existing), 5)
    if len(existing) < wanted:
        province = Agency.objects.filter(level=Agency.Level.PROVINCE).order_by("code").first()
        if province is None:
            province = Agency.objects.create(
                code="000.00.00.G99", name="Tỉnh Mẫu", level=Agency.Level.PROVINCE, province_code="99"
            )
        i = 0
        while len(existing) < wanted:
            i += 1
            code = f"000.{i // 100:02d}.{i % 100:02d}.G99"
            agency, created = Agency.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"Phường Mẫu {i}",
                    "level": Agency.Level.COMMUNE,
                    "parent": province,
                    "province_code": province.province_code,
                    "ward_code": f"G{i:04d}",
                },
            )
            if created:
                existing.append((agency.pk, agency.code))
    return sorted(existing, key=lambda a: a[1])[:wanted]


# -- the run ---------------------------------------------------------------------------------------

MAX_PER_AGENCY_DAY = 9999


def generate(opts: Options, progress: Callable[[Result, int], None] | None = None) -> Result:
    """Generate opts.count dossiers received in the opts.days before opts.end (default: now)."""
    started = _time.perf_counter()
    rng = random.Random(opts.seed)
    end = local(opts.end or timezone.now())
    agencies = ensure_agencies(opts.agencies)
    procs = ensure_procedures()
    last_day = end.date() - timedelta(days=1)
    days = _working_days(last_day - timedelta(days=opts.days), last_day)
    if not days or not agencies or not procs:
        raise ValueError("no working day, agency or procedure to generate dossiers for")
    if opts.count / (len(days) * len(agencies)) > MAX_PER_AGENCY_DAY * 0.8:
        raise ValueError("too many dossiers per agency and day for 4-digit codes: add --agencies or --days")

    agency_weights = [rng.uniform(0.4, 2.0) for _ in agencies]
    proc_weights = [p.weight for p in procs]
    day_weights = [1.25 if d.weekday() == 0 else (0.5 if d.weekday() >= 5 else 1.0) for d in days]
    n_open = round(opts.count * opts.open_share)
    finished_per_day = Counter(rng.choices(range(len(days)), day_weights, k=opts.count - n_open))
    # Open dossiers are recent: received within the procedure's time (a few are already overdue).
    open_per_day: dict[int, list[tuple[_Proc, bool]]] = {}
    open_procs = [p for p in procs if p.days > 0] or procs
    for proc in rng.choices(open_procs, [p.weight for p in open_procs], k=n_open):
        back = (
            rng.randrange(1, 20) + proc.days if rng.random() < 0.02 else rng.randrange(0, max(proc.days, 1))
        )
        open_per_day.setdefault(max(len(days) - 1 - back, 0), []).append((proc, True))

    sequences = {
        (a, d): last
        for a, d, last in DailySequence.objects.filter(
            agency_id__in=[a[0] for a in agencies], day__gte=days[0]
        ).values_list("agency_id", "day", "last")
    }
    builder = _Builder(rng, end, opts)
    result = Result()
    rebuild = opts.count >= opts.rebuild_indexes_from and not connection.in_atomic_block
    with _secondary_indexes_dropped(rebuild):
        writer = _Writer(result)
        try:
            _run(
                days,
                finished_per_day,
                open_per_day,
                procs,
                proc_weights,
                agencies,
                agency_weights,
                sequences,
                builder,
                writer,
                opts,
                progress,
                started,
            )
        finally:
            writer.close()
    result.seconds = _time.perf_counter() - started
    return result


def _run(
    days,
    finished_per_day,
    open_per_day,
    procs,
    proc_weights,
    agencies,
    agency_weights,
    sequences,
    builder,
    writer,
    opts,
    progress,
    started,
) -> None:
    rng, result, batch = builder.rng, writer.result, []
    for index, day in enumerate(days):
        todo = [(p, False) for p in rng.choices(procs, proc_weights, k=finished_per_day.get(index, 0))]
        todo += open_per_day.get(index, [])
        arrivals = []
        for proc, is_open in todo:
            agency = rng.choices(agencies, agency_weights)[0]
            competent = agency if rng.random() < 0.95 or len(agencies) == 1 else rng.choice(agencies)
            arrivals.append((agency, _office_time(rng, day), proc, competent, is_open))
        arrivals.sort(key=lambda a: (a[0][0], a[1]))
        for agency, received, proc, competent, is_open in arrivals:
            late = not is_open and rng.random() < opts.late_share
            d, steps, events, status = builder.build(proc, agency, competent, received, is_open, late)
            number = sequences.get((agency[0], day), 0) + 1
            sequences[(agency[0], day)] = number
            d["code"] = f"{agency[1]}-{day:%y%m%d}-{number:04d}"
            d["subject"] = proc.name
            batch.append((d, steps, events, (agency[0], day, number)))
            result.statuses[status] += 1
        if len(batch) >= opts.batch or index == len(days) - 1:
            writer.add(batch)
            batch = []
            result.seconds = _time.perf_counter() - started
            if progress:
                progress(result, opts.count)


_TABLES: dict[str, _Table] = {}


def _tables() -> tuple[_Table, _Table, _Table]:
    if not _TABLES:
        _TABLES.update(
            d=_Table(Dossier), s=_Table(DossierStep, STEP_COLUMNS), e=_Table(DossierEvent, EVENT_COLUMNS)
        )
        if _TABLES["s"].tail is None or _TABLES["e"].tail is None:
            raise RuntimeError("a new required column on steps or events: teach dossiers.generator about it")
    return _TABLES["d"], _TABLES["s"], _TABLES["e"]


def _can_skip_triggers(cursor) -> bool:
    """Superusers may skip triggers for the load (session_replication_role); others keep every check."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def _reserve(batch: list) -> tuple[int, int, int]:
    """First dossier, step and event ids for the batch, reserved under a short table lock."""
    td, ts, te = _tables()
    n_steps = sum(len(b[1]) for b in batch)
    n_events = sum(len(b[2]) for b in batch)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {td.name}, {ts.name}, {te.name} IN SHARE ROW EXCLUSIVE MODE")
        return (
            _reserve_ids(cursor, td.name, len(batch)),
            _reserve_ids(cursor, ts.name, n_steps),
            _reserve_ids(cursor, te.name, n_events),
        )


def _format(batch: list) -> tuple[list[str], list[str], list[str], dict]:
    """COPY lines of the batch's dossiers, steps and events, and the top daily number per agency and day."""
    td, ts, te = _tables()
    d_id, s_id, e_id = _reserve(batch)
    d_lines, s_lines, e_lines, top = [], [], [], {}
    for i, (d, steps, events, (agency_id, day, number)) in enumerate(batch):
        pk = d_id + i
        for step in steps:
            step["_id"] = s_id
            s_lines.append(_step_line(ts, s_id, pk, step))
            s_id += 1
        for _, rest in events:
            e_lines.append(f"{e_id}\t{pk}\t{rest}{te.tail}\n")
            e_id += 1
        current = d.pop("current_step", None)
        d["current_step_id"] = current["_id"] if current else None
        d_lines.append(td.line(pk, d))
        top[(agency_id, day)] = max(top.get((agency_id, day), 0), number)
    return d_lines, s_lines, e_lines, top


def _write(d_lines: list[str], s_lines: list[str], e_lines: list[str], top: dict) -> None:
    """One transaction: COPY dossiers, steps and events, and raise the daily sequences."""
    td, ts, te = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        if _can_skip_triggers(cursor):
            # Rows are consistent by construction (ids reserved, referenced rows exist); skipping the per-row
            # foreign-key triggers is what makes a million rows take minutes instead of tens of minutes.
            cursor.execute("SET LOCAL session_replication_role = replica")
        raw = cursor.cursor
        for table, lines in ((td, d_lines), (ts, s_lines), (te, e_lines)):
            if lines:
                with raw.copy(f"COPY {table.name} ({table.column_list}) FROM STDIN") as copy:
                    copy.write("".join(lines))
        cursor.execute("SET LOCAL session_replication_role = origin")  # also inside a caller's transaction
        cursor.executemany(
            f"INSERT INTO {DailySequence._meta.db_table} (agency_id, day, last) VALUES (%s, %s, %s) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = GREATEST("
            f"{DailySequence._meta.db_table}.last, EXCLUDED.last)",
            [(a, d, n) for (a, d), n in top.items()],
        )


def _write_and_close(*args) -> None:
    try:
        _write(*args)
    finally:
        connections.close_all()  # this thread's connection


class _Writer:
    """Writes batches in order. Outside a transaction the COPY runs on a second connection in a thread, so
    PostgreSQL stores one batch while Python builds the next; inside one (tests) it runs inline."""

    def __init__(self, result: Result):
        self.result = result
        self.threaded = not connection.in_atomic_block
        self.pool = ThreadPoolExecutor(max_workers=1) if self.threaded else None
        self.pending: Future | None = None

    def add(self, batch: list) -> None:
        if not batch:
            return
        lines = _format(batch)
        self.wait()
        if self.pool:
            self.pending = self.pool.submit(_write_and_close, *lines)
        else:
            _write(*lines)
        self.result.dossiers += len(batch)
        self.result.steps += len(lines[1])
        self.result.events += len(lines[2])

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.pool:
                self.pool.shutdown(wait=True)


@contextmanager
def _secondary_indexes_dropped(enabled: bool):
    """For large loads: drop the three tables' plain indexes and build them again at the end (much faster
    than maintaining them row by row). Indexes backing constraints (primary keys, unique codes) stay."""
    if not enabled:
        yield
        return
    names = [m._meta.db_table for m in (Dossier, DossierStep, DossierEvent)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.conrelid = i.indrelid)",
            [names],
        )
        definitions = cursor.fetchall()
        for name, _ in definitions:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, ddl in definitions:
                cursor.execute(ddl.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
