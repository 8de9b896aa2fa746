"""Link health and the circuit breaker, one row per link (models.NationalLink).

An adapter wraps each call to its platform in `guard(link)`: when the link failed
`NATIONAL_BREAKER_FAILURES` times in a row, calls are not attempted for `NATIONAL_BREAKER_SECONDS` and fail
at once with LinkDown, so a dead platform costs the desk nothing; the first call after that tries again. Only
LinkError counts as a failure of the link: a platform that answers "no" (a refused payload, an unknown ID) is
a working link.
Call it outside the caller's transaction, so the health it records survives the caller's rollback.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, F, Value, When
from django.utils import timezone

from dossiers.models import NationalLink

Name = NationalLink.Name


class LinkError(Exception):
    """The platform did not answer as it should: no connection, a timeout, a 5xx, a garbled answer."""

    def __init__(self, link: str, detail: str):
        super().__init__(f"{link}: {detail}")
        self.link = link
        self.detail = detail


class LinkDown(LinkError):
    """The circuit is open: the call was not attempted."""


def _rows(link: str):
    return NationalLink.objects.filter(name=link)


def is_open(link: str, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return _rows(link).filter(open_until__gt=now).exists()


def record_success(link: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    _rows(link).update(last_success_at=now, consecutive_failures=0, open_until=None, calls=F("calls") + 1)


def record_failure(link: str, error: str, now: datetime | None = None) -> None:
    """Count the failure; the one that reaches the threshold opens the circuit."""
    now = now or timezone.now()
    threshold = max(int(settings.NATIONAL_BREAKER_FAILURES), 1)
    reopen = now + timedelta(seconds=float(settings.NATIONAL_BREAKER_SECONDS))
    _rows(link).update(
        last_failure_at=now,
        last_error=str(error)[:2000],
        calls=F("calls") + 1,
        failures=F("failures") + 1,
        consecutive_failures=F("consecutive_failures") + 1,
        open_until=Case(
            When(consecutive_failures__gte=threshold - 1, then=Value(reopen)), default=F("open_until")
        ),
    )


@contextmanager
def guard(link: str):
    """`with guard("population"): ...call the platform...`: refuses at once while the circuit is open, and
    records the outcome (a LinkError inside is a failure and is raised again)."""
    if is_open(link):
        raise LinkDown(link, "circuit open")
    try:
        yield
    except LinkError as exc:
        record_failure(link, exc.detail)
        raise
    record_success(link)


def snapshot() -> list[NationalLink]:
    """Every link's row, in the order of NationalLink.Name (the link-health page and /healthz read this)."""
    rows = {row.name: row for row in NationalLink.objects.all()}
    return [rows.get(name) or NationalLink(name=name) for name in Name.values]
