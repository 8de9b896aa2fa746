"""Counters over a time window kept in Redis (the shared cache), so every web process counts together."""

from __future__ import annotations

from django.core.cache import cache


def parse_limit(text: str) -> tuple[int, int]:
    """'30/60' -> (30 requests, 60 seconds)."""
    count, seconds = text.split("/")
    return int(count), int(seconds)


def _redis():
    # The Redis client behind Django's RedisCache; writes (and so these counters) all go to its first server.
    return cache._cache.get_client(write=True)


def _full(key: str) -> str:
    # Through the cache's key function (prefix, version), so cache.get/delete see the same counter.
    return cache.make_and_validate_key(key)


def hit(*keys: str, window: int) -> list[int]:
    """Count one event on each key; a key's window starts at its first event (INCR, EXPIRE NX), one round
    trip to Redis. Returns the counts, in the order of the keys."""
    pipe = _redis().pipeline(transaction=False)
    for key in keys:
        full = _full(key)
        pipe.incr(full)
        pipe.expire(full, window, nx=True)
    return [int(n) for n in pipe.execute()[::2]]


def over_limit(limits: dict[str, int]) -> int:
    """Seconds until every key of `limits` (key -> largest allowed count) is back under its limit, without
    counting anything: 0 when none has reached its limit. One round trip."""
    pipe = _redis().pipeline(transaction=False)
    for key in limits:
        full = _full(key)
        pipe.get(full)
        pipe.ttl(full)
    answers = pipe.execute()
    wait = 0
    for count, ttl, limit in zip(answers[::2], answers[1::2], limits.values(), strict=True):
        if count is not None and int(count) >= limit:
            wait = max(wait, ttl if ttl > 0 else 1)
    return wait


def forget(*keys: str) -> None:
    cache.delete_many(list(keys))


def forget_prefix(prefix: str) -> int:
    """Delete every counter whose key starts with `prefix` (SCAN, not KEYS: Redis stays responsive)."""
    client = _redis()
    keys = list(client.scan_iter(match=_full(prefix) + "*", count=1000))
    if keys:
        client.delete(*keys)
    return len(keys)
