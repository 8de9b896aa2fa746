"""One generated dossier: its fate drawn from realistic distributions, then consistent fields, steps, events.

Instants are int seconds (see clock.py); a dossier is a dict of model attnames, its steps rows.Step objects,
its events (at, tail) pairs whose tails rows.EventRows encodes once per distinct content.
"""

from __future__ import annotations

import json
import random

from dossiers.models import Channel, Dossier, Outcome, Status
from seeds.generator.catalogue import Proc, person
from seeds.generator.clock import DAY, MINUTE, Clock, day_of, instant, to_datetime
from seeds.generator.rows import EventRows, Step

OFFICE_MINUTES = [(7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)]
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
PAUSED = (Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT, Status.RESOLVED)
REFUSAL = "Hồ sơ không thuộc thẩm quyền tiếp nhận."
REASONS = {"withdraw": "Công dân xin rút hồ sơ.", "stop": "Hồ sơ không đủ điều kiện giải quyết."}
LEGAL_GROUND = {"stop": "Nghị định số 118/2025/NĐ-CP; quy định của thủ tục về điều kiện giải quyết."}
PAYLOADS = {
    k: json.dumps(
        {"reason": v, **({"legal_ground": LEGAL_GROUND[k]} if k in LEGAL_GROUND else {})}, ensure_ascii=False
    )
    for k, v in [("refuse_intake", REFUSAL), *REASONS.items()]
}


class Rng(random.Random):
    """random.Random whose randrange and choice take one random() call each: several times faster and still
    deterministic for a seed (53 bits of resolution are plenty for the ranges drawn here)."""

    def randrange(self, start: int, stop: int | None = None) -> int:
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def pick(rng: random.Random, weighted: list[tuple[object, float]]):
    x, acc = rng.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if x < acc:
            return value
    return weighted[-1][0]


def office_time(rng: random.Random, day: int, after: int | None = None) -> int:
    """A random instant in office hours of `day`; when not after `after`, 5-90 minutes after it."""
    lo, hi = OFFICE_MINUTES[0] if rng.random() < 0.55 else OFFICE_MINUTES[1]
    at = instant(day, rng.randrange(lo, hi) * MINUTE + rng.randrange(60))
    if after is not None and at <= after:
        at = after + rng.randrange(5, 90) * MINUTE
    return at


def _iso(t: int) -> str:
    return to_datetime(t).isoformat()


class Builder:
    """Builds one dossier's fields, steps and events (ids are given at COPY time)."""

    def __init__(self, rng: random.Random, end: int, clock: Clock, events: EventRows, online_share: float):
        self.rng, self.end, self.clock, self.ev, self.online_share = rng, end, clock, events, online_share
        self._iso: dict[int, str] = {}
        self._forward: dict[tuple[int, int], bytes] = {}

    def iso(self, t: int) -> str:
        """ISO text of a due instant for event payloads (few distinct values: formatted once each)."""
        text = self._iso.get(t)
        if text is None:
            text = self._iso[t] = _iso(t)
        return text

    def build(self, proc: Proc, agency: int, competent: int, received: int, is_open: bool, late: bool):
        """(fields, steps, events, status) of one dossier received at `received`."""
        rng, ev, clock = self.rng, self.ev, self.clock
        status = pick(rng, OPEN_STATUSES) if is_open else pick(rng, FINISHED_FATES)
        channel = (
            Channel.ONLINE
            if status == Status.SUBMITTED or rng.random() < self.online_share
            else (Channel.COUNTER if rng.random() < 0.92 else Channel.POST)
        )
        name, id_number, phone, address = person(rng)
        due = clock.appointment(received, proc.days, proc.unit)
        d = {
            "procedure_id": proc.id,
            "procedure_version": proc.version,
            "receiving_agency_id": agency,
            "competent_agency_id": competent,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": phone,
            "applicant_address": address,
            "subject": proc.name,
            "channel": channel,
            "created_at": received,
            "updated_at": received,
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
        events: list[tuple[int, bytes]] = []
        if channel == Channel.ONLINE:
            submitted = received - rng.randrange(10, 60 * 30) * MINUTE
            d["submitted_at"] = d["created_at"] = submitted
            events.append((submitted, ev.tail("submit", Status.DRAFT, Status.SUBMITTED)))
        if status == Status.SUBMITTED:
            d.update(status=status, received_at=None, clock_started_at=None, paid_at=None, paid_online=False)
            d.update(due_at=None, legal_due_at=None, original_due_at=None)
            return d, [], events, status
        if status == "refused":
            at = received + rng.randrange(5, 40) * MINUTE
            d.update(status=Status.REFUSED, finished_at=at, clock_started_at=None, updated_at=at)
            d.update(due_at=None, legal_due_at=None, original_due_at=None, outcome_note=REFUSAL)
            events.append(
                (at, ev.tail("refuse_intake", Status.SUBMITTED, Status.REFUSED, PAYLOADS["refuse_intake"]))
            )
            return d, [], events, Status.REFUSED
        payload = f'{{"channel": "{channel}", "due_at": "{self.iso(due)}"}}'
        events.append((received, ev.tail("receive", Status.SUBMITTED, Status.RECEIVED, payload)))
        pause_at = self._supplements(d, events, received)
        finish = self._finish_time(d["due_at"], received, pause_at, is_open, late)
        if late and not is_open and rng.random() < 0.6:
            self._apologize(d, events, received, finish)
        steps = self._steps(proc, d, agency, competent, received, finish, status, is_open)
        self._forward_events(proc, steps, events)
        if is_open:
            self._leave_open(d, steps, events, status)
        else:
            self._finish(d, steps, events, status, finish, channel)
        return d, steps, events, d["status"]

    def _supplements(self, d: dict, events: list, received: int) -> int | None:
        """Supplement requests answered in 1-5 working days; each moves the due date by the paused days."""
        rng, clock, ev = self.rng, self.clock, self.ev
        pauses = 2 if rng.random() < 0.004 else (1 if rng.random() < 0.05 else 0)
        pause_at = None
        for _ in range(pauses):
            start = pause_at or received
            first = day_of(pause_at) if pause_at else clock.start_day(received)
            room = max(clock.between(first, day_of(d["due_at"])), 0)
            pause_day = clock.add(first, rng.randrange(0, room + 1))
            pause_at = office_time(rng, pause_day, after=start)
            resume_at = office_time(rng, clock.add(pause_day, rng.randrange(1, 6)))
            if resume_at >= self.end:  # only supplements answered by the end (an open request comes later)
                break
            d["due_at"], days = clock.shift_for_pause(d["due_at"], pause_at, resume_at)
            d["legal_due_at"] = d["due_at"]  # the first appointment stays in original_due_at
            d["paused_working_days"] = d.get("paused_working_days", 0) + days
            d["supplement_count"] = d.get("supplement_count", 0) + 1
            payload = '{"missing": [], "at_intake": false}'
            events.append(
                (
                    pause_at,
                    ev.tail("request_supplement", Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, payload),
                )
            )
            payload = f'{{"paused_working_days": {days}}}'
            events.append(
                (resume_at, ev.tail("supplement", Status.SUPPLEMENT_REQUESTED, Status.PROCESSING, payload))
            )
            pause_at = resume_at
        return pause_at

    def _finish_time(self, due: int, received: int, pause_at: int | None, is_open: bool, late: bool) -> int:
        """When the handling ends: a working day up to the due date, 1-3 working days after it when late."""
        rng, clock = self.rng, self.clock
        if is_open:
            finish = self.end
        elif late:
            finish = office_time(rng, clock.add(day_of(due), rng.randrange(1, 4)))
        else:
            first = clock.start_day(received)
            if pause_at is not None:  # after the last supplement arrived
                first = max(first, clock.add(day_of(pause_at), 0))
            span = clock.between(first, day_of(due))
            finish_day = clock.add(first, rng.randrange(0, span + 1)) if span > 0 else day_of(due)
            finish = office_time(rng, finish_day, after=received)
        lower = max(received, pause_at or received)
        return min(max(finish, lower + 5 * MINUTE), self.end - MINUTE)

    def _apologize(self, d: dict, events: list, received: int, finish: int) -> None:
        """Form 04 the working day before the due date, with a new appointment no earlier than the finish."""
        clock, due = self.clock, d["due_at"]
        new_day = clock.add(max(day_of(finish), day_of(due) + 1), 0)
        new_due = clock.end_of_office_day(new_day)
        apology_at = office_time(self.rng, clock.add(day_of(due), -1), after=received)
        if apology_at < finish:
            d.update(due_at=new_due, apology_count=1)
            payload = json.dumps({"old_due_at": self.iso(due), "new_due_at": self.iso(new_due)})
            events.append(
                (apology_at, self.ev.tail("apologize", Status.PROCESSING, Status.PROCESSING, payload))
            )

    def _steps(self, proc: Proc, d, agency, competent, received, finish, status, is_open) -> list[Step]:
        if not proc.steps:
            return []
        dues = self.clock.step_dues(received, proc.step_days, d["legal_due_at"])
        n = len(proc.steps)
        if is_open:
            reached = {Status.RECEIVED: 1, Status.RESOLVED: n}.get(status, max(1, min(n - 1, 2)))
        elif status == "returned":
            reached = n
        else:
            reached = self.rng.randrange(1, n + 1)
        span = (finish - received) // max(reached, 1)
        steps = []
        for i, due in enumerate(dues):
            step = Step(i, agency if proc.steps[i][1] == "clerk" else competent, due)
            if i < reached:
                step.started = received + span * i
                if not is_open or i < reached - 1:
                    step.finished = received + span * (i + 1)
            steps.append(step)
        return steps

    def _forward_events(self, proc: Proc, steps: list[Step], events: list) -> None:
        for prev, step in zip(steps, steps[1:], strict=False):
            if step.started is None:
                break
            key = (proc.id, prev.index)
            tail = self._forward.get(key)
            if tail is None:
                before = Status.RECEIVED if prev.index == 0 else Status.PROCESSING
                names = {"from_step": proc.steps[prev.index][0], "to_step": proc.steps[step.index][0]}
                payload = json.dumps(names, ensure_ascii=False)
                tail = self._forward[key] = self.ev.tail("forward", before, Status.PROCESSING, payload)
            events.append((step.started, tail))

    def _leave_open(self, d: dict, steps: list[Step], events: list, status: str) -> None:
        """Still in progress at the end: the open step, overdue markers, the pending pause or result."""
        rng, ev, end = self.rng, self.ev, self.end
        running = Status.PROCESSING if sum(s.started is not None for s in steps) > 1 else Status.RECEIVED
        d["status"] = running if status in (Status.PROCESSING, Status.RECEIVED) else status
        open_step = next(
            (i for i, s in enumerate(steps) if s.started is not None and s.finished is None), None
        )
        d["current_step"] = open_step
        if open_step is not None and steps[open_step].due < end:
            steps[open_step].overdue = steps[open_step].due
        if status == Status.SUPPLEMENT_REQUESTED:
            paused = max(events[-1][0], end - rng.randrange(1, 10) * DAY)
            d.update(paused_at=paused, supplement_due_at=self.clock.supplement_due(paused))
            d["supplement_count"] = d.get("supplement_count", 0) + 1
            events.append((paused, ev.tail("request_supplement", running, status, '{"missing": []}')))
        elif status == Status.AWAITING_PAYMENT:
            paused = max(events[-1][0], end - rng.randrange(1, 5) * DAY)
            d.update(paused_at=paused, paid_at=None, paid_online=False)
            payload = f'{{"amount": {d["fee_amount"]}}}'
            events.append((paused, ev.tail("request_payment", running, status, payload)))
        elif status == Status.RESOLVED:
            self._resolve(d, events, max(events[-1][0], end - rng.randrange(1, 48) * 3600), running)
        d["updated_at"] = max(e[0] for e in events)
        if d["legal_due_at"] < end and status not in PAUSED:
            d["overdue_at"] = d["legal_due_at"]

    def _finish(
        self, d: dict, steps: list[Step], events: list, status: str, finish: int, channel: str
    ) -> None:
        """Withdrawn, stopped, or resolved and (unless it happens after the end) returned."""
        rng, ev = self.rng, self.ev
        running = Status.PROCESSING if sum(s.started is not None for s in steps) > 1 else Status.RECEIVED
        if status in ("withdrawn", "stopped"):
            action = "withdraw" if status == "withdrawn" else "stop"
            for s in steps:
                if s.started is not None and s.finished is None:
                    s.finished = finish
            d.update(status=status, finished_at=finish, outcome_note=REASONS[action], updated_at=finish)
            events.append((finish, ev.tail(action, running, status, PAYLOADS[action])))
            return
        self._resolve(d, events, finish, running)
        method = (
            "electronic"
            if channel == Channel.ONLINE and rng.random() < 0.8
            else ("post" if channel == Channel.POST else "in_person")
        )
        if method == "electronic":
            returned = finish + rng.randrange(1, 30) * MINUTE
        else:
            returned = finish + rng.randrange(0, 3) * DAY + rng.randrange(5, 120) * MINUTE
        if steps:
            steps[-1].finished = min(returned, self.end)
        if returned >= self.end:
            d["current_step"] = len(steps) - 1 if steps else None
            return
        d.update(status=Status.RETURNED, returned_at=returned, return_method=method, updated_at=returned)
        d["satisfaction"] = pick(rng, SATISFACTION)
        events.append(
            (
                returned,
                ev.tail("return_result", Status.RESOLVED, Status.RETURNED, f'{{"method": "{method}"}}'),
            )
        )

    def _resolve(self, d: dict, events: list, at: int, running: str) -> None:
        outcome = Outcome.APPROVED if self.rng.random() < 0.97 else Outcome.DENIED
        e_result = Dossier.EResult.DONE if outcome == Outcome.APPROVED and self.rng.random() < 0.95 else ""
        d.update(status=Status.RESOLVED, resolved_at=at, finished_at=at, outcome=outcome, updated_at=at)
        d["e_result_status"] = e_result
        events.append((at, self.ev.tail("resolve", running, Status.RESOLVED, f'{{"outcome": "{outcome}"}}')))
