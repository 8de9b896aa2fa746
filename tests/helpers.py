"""Helpers shared by the tests: local datetimes, a frozen clock, an API client signed in as someone."""

from __future__ import annotations

from datetime import datetime

import time_machine
from rest_framework.test import APIClient

from procedures.calendar import LOCAL_TZ


def vn(*args) -> datetime:
    """A datetime in Vietnam's time zone: vn(2026, 3, 2, 9, 0)."""
    return datetime(*args, tzinfo=LOCAL_TZ)


def frozen_at(*args) -> time_machine.travel:
    """The clock stopped at vn(*args), as a context manager or decorator."""
    return time_machine.travel(vn(*args), tick=False)


def client_for(user) -> APIClient:
    """An API client authenticated as `user` (no sign-in round trip), as a user object of its own: what a
    request reads once per user object (memberships) is read again, as on every request in production."""
    client = APIClient()
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client
