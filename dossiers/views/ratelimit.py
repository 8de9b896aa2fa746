"""Per client IP request limit kept in Redis (the shared cache), so every web process counts together."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from config.errors import RateLimited


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") or "unknown"


def parse_limit(text: str) -> tuple[int, int]:
    """'30/60' -> (30 requests, 60 seconds)."""
    count, seconds = text.split("/")
    return int(count), int(seconds)


def _hit(key: str, window: int) -> int:
    """Count one request in the window: INCR and EXPIRE NX pipelined, one round trip to Redis.

    Keys go through the cache's key function so cache.get/delete see the same counter.
    """
    full_key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(full_key, write=True)  # the Redis client behind Django's RedisCache
    pipe = client.pipeline(transaction=False)
    pipe.incr(full_key)
    pipe.expire(full_key, window, nx=True)
    count, _ = pipe.execute()
    return int(count)


def check_rate(request, scope: str = "track") -> None:
    """Count this request against the client's window; RateLimited once it exceeds the limit."""
    limit, window = parse_limit(settings.TRACKING_RATE_LIMIT)
    if _hit(f"rate:{scope}:{client_ip(request)}", window) > limit:
        raise RateLimited(
            f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {window} giây.",
            f"Too many lookups. Please try again in {window} seconds.",
            retry_after=window,
        )
