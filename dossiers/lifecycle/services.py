"""Every write to a dossier: intake, the generic `perform` of the workflow's actions, system actions, and the
applicant's satisfaction rating."""

from __future__ import annotations

from accounts.models import User
from dossiers.lifecycle.actions import expire_supplement, lock, perform, rate_satisfaction
from dossiers.lifecycle.intake import receive_at_counter, submit_online, take_in_from_portal
from dossiers.models import Dossier

__all__ = [
    "apologize",
    "confirm_payment",
    "expire_supplement",
    "forward",
    "lock",
    "perform",
    "rate_satisfaction",
    "receive",
    "receive_at_counter",
    "refuse_intake",
    "request_payment",
    "request_supplement",
    "resolve",
    "return_result",
    "stop",
    "submit_online",
    "supplement",
    "take_in_from_portal",
    "withdraw",
]


def receive(dossier: Dossier | str, actor: User, data: dict | None = None) -> Dossier:
    return perform(dossier, "receive", actor, data)


def refuse_intake(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "refuse_intake", actor, data)


def forward(dossier: Dossier | str, actor: User, data: dict | None = None) -> Dossier:
    return perform(dossier, "forward", actor, data)


def request_supplement(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "request_supplement", actor, data)


def supplement(dossier: Dossier | str, actor: User, data: dict | None = None) -> Dossier:
    return perform(dossier, "supplement", actor, data)


def request_payment(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "request_payment", actor, data)


def confirm_payment(dossier: Dossier | str, actor: User, data: dict | None = None) -> Dossier:
    return perform(dossier, "confirm_payment", actor, data)


def apologize(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "apologize", actor, data)


def withdraw(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "withdraw", actor, data)


def stop(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "stop", actor, data)


def resolve(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "resolve", actor, data)


def return_result(dossier: Dossier | str, actor: User, data: dict) -> Dossier:
    return perform(dossier, "return_result", actor, data)
