"""The desk's tab counts kept briefly in the cache, per user, keyed by a version of each agency they read.

Counting a tab reads every open row of the user's agencies (~14 k at the busiest generated agency at 1 M
dossiers, ~10 ms); a clerk turning tabs asks the same counts again and again between two changes. Every
audited write (lifecycle.events.record_event) gives its dossier's agencies a new version, at once and again
when its transaction commits, so counts cached before a change are never read after it;
DESK_COUNTS_CACHE_SECONDS bounds what time alone changes (a dossier falling due or overdue with no write).
A Redis outage reads as a miss: the counts are then counted every time, as without the cache.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_PREFIX = "desk-counts-version:"
COUNTS_PREFIX = "desk-counts:"
# A user who sees more agencies than this (a superuser) has their counts counted every time: reading that
# many versions would cost what it saves.
MAX_AGENCIES = 20


def _version_key(agency_id: int) -> str:
    return f"{VERSION_PREFIX}{agency_id}"


def touch_agencies(agency_ids: Iterable[int | None]) -> None:
    """Give each agency a new version: counts cached for its users are not read again."""
    ids = sorted({a for a in agency_ids if a})
    if ids:
        cache.set_many({_version_key(a): uuid.uuid4().hex for a in ids}, timeout=None)


def agencies_changed(agency_ids: Iterable[int | None]) -> None:
    """A write to a dossier of these agencies: new versions now, and again on commit, so counts read by
    another request before the commit and cached under the first new version are not kept either."""
    ids = list(agency_ids)
    touch_agencies(ids)
    transaction.on_commit(partial(touch_agencies, ids))


def cached_counts(
    user_id: int, agency_ids: set[int], tabs: Iterable[str], count: Callable[[], dict[str, int]]
) -> dict[str, int]:
    """The counts `count()` gives for the tabs, from the cache when none of the agencies changed since they
    were counted (and no longer ago than DESK_COUNTS_CACHE_SECONDS)."""
    seconds = settings.DESK_COUNTS_CACHE_SECONDS
    if seconds <= 0 or not agency_ids or len(agency_ids) > MAX_AGENCIES:
        return count()
    ids = sorted(agency_ids)
    versions = cache.get_many([_version_key(a) for a in ids])
    stamp = ",".join([*tabs, *(f"{a}={versions.get(_version_key(a), '-')}" for a in ids)])
    key = f"{COUNTS_PREFIX}{user_id}:{hashlib.sha1(stamp.encode()).hexdigest()}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    counts = count()
    cache.set(key, counts, timeout=seconds)
    return counts
