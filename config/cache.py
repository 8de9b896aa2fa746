"""The shared cache (Redis) that never fails a request: while Redis cannot be reached a read misses and a
write is dropped, with a warning in the log, so sign-in and public tracking keep answering."""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WARN_EVERY = 30.0  # seconds: one warning per process per outage burst, not one per request
_last_warning = float("-inf")


def warn_unreachable(what: str, exc: Exception) -> None:
    """Log that Redis is unreachable, at most once every WARN_EVERY seconds in this process."""
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY:
        _last_warning = now
        logger.warning("cache: Redis unreachable (%s), %s: %s", type(exc).__name__, what, exc)


def _survive(method, default):
    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            warn_unreachable(f"{method.__name__} answered as a miss", exc)
            return default() if callable(default) else default

    return call


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; a Redis error reads as a miss (get: the default) and a write as not done."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            warn_unreachable("get answered as a miss", exc)
            return default


# While Redis is unreachable writes answer "not done" and reads "not found". incr/decr keep raising: their
# callers must tell a missing key from a count, and config.ratelimit counts with its own fallback.
for _name, _default in {
    "set": None,
    "add": False,
    "touch": False,
    "delete": False,
    "get_many": dict,
    "has_key": False,
    "set_many": list,
    "delete_many": None,
    "clear": False,
}.items():
    setattr(ResilientRedisCache, _name, _survive(getattr(RedisCache, _name), _default))
