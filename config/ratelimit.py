"""Counters over a time window kept in Redis (the shared cache), so every web process counts together.

While Redis cannot be reached the counters go on in this process's memory (with a warning in the log) rather
than stop counting: a sign-in lockout and the public lookups' limit keep holding, each web process counting
on its own until Redis answers again. Safer than allowing everything, and a request never fails for it.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from redis.exceptions import RedisError

from config.cache import warn_unreachable

RETRY_REDIS_AFTER = 5.0  # seconds: after a failure, count in memory for this long before trying Redis again


def parse_limit(text: str) -> tuple[int, int]:
    """'30/60' -> (30 requests, 60 seconds)."""
    count, seconds = text.split("/")
    return int(count), int(seconds)


class _LocalCounters:
    """The fallback: counters with an expiry in this process, the same semantics as INCR + EXPIRE NX."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, monotonic expiry)
        self.redis_down_until = float("-inf")

    def _live(self, key: str, now: float) -> tuple[int, float] | None:
        entry = self._counts.get(key)
        if entry is not None and entry[1] <= now:
            del self._counts[key]
            return None
        return entry

    def hit(self, keys, window: int) -> list[int]:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 100_000:  # an outage under a flood of addresses: keep memory bounded
                for key in [k for k, (_, exp) in self._counts.items() if exp <= now]:
                    del self._counts[key]
            counts = []
            for key in keys:
                count, expires = self._live(key, now) or (0, now + window)
                self._counts[key] = (count + 1, expires)
                counts.append(count + 1)
            return counts

    def forget(self, keys) -> None:
        with self._lock:
            for key in keys:
                self._counts.pop(key, None)

    def forget_prefix(self, prefix: str) -> int:
        with self._lock:
            gone = [k for k in self._counts if k.startswith(prefix)]
            for key in gone:
                del self._counts[key]
            return len(gone)


local = _LocalCounters()


def _redis():
    # The Redis client behind Django's RedisCache; writes (and so these counters) all go to its first server.
    return cache._cache.get_client(write=True)


def _full(key: str) -> str:
    # Through the cache's key function (prefix, version), so cache.get/delete see the same counter.
    return cache.make_and_validate_key(key)


def _redis_may_answer() -> bool:
    return time.monotonic() >= local.redis_down_until


def _redis_failed(what: str, exc: Exception) -> None:
    local.redis_down_until = time.monotonic() + RETRY_REDIS_AFTER
    warn_unreachable(f"{what} counted in this process", exc)


def hit(*keys: str, window: int) -> list[int]:
    """Count one event on each key; a key's window starts at its first event (INCR, EXPIRE NX), one round
    trip to Redis. Returns the counts, in the order of the keys."""
    if _redis_may_answer():
        try:
            pipe = _redis().pipeline(transaction=False)
            for key in keys:
                full = _full(key)
                pipe.incr(full)
                pipe.expire(full, window, nx=True)
            return [int(n) for n in pipe.execute()[::2]]
        except RedisError as exc:
            _redis_failed("rate limits", exc)
    return local.hit([_full(k) for k in keys], window)


def forget(*keys: str) -> None:
    local.forget([_full(k) for k in keys])
    cache.delete_many(list(keys))  # config.cache: an unreachable Redis is logged, not raised


def forget_prefix(prefix: str) -> int:
    """Delete every counter whose key starts with `prefix` (SCAN, not KEYS: Redis stays responsive)."""
    gone = local.forget_prefix(_full(prefix))
    try:
        client = _redis()
        keys = list(client.scan_iter(match=_full(prefix) + "*", count=1000))
        if keys:
            client.delete(*keys)
    except RedisError as exc:
        warn_unreachable("counters forgotten in this process only", exc)
        return gone
    return gone + len(keys)
