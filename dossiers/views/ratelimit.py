"""Per client IP limit of public lookups, counted in Redis (config.ratelimit) across every web process."""

from __future__ import annotations

from django.conf import settings

from config.clientip import client_ip
from config.errors import RateLimited
from config.ratelimit import hit, parse_limit


def check_rate(request, scope: str = "track") -> None:
    """Count this request against the client's window; RateLimited once it exceeds the limit."""
    limit, window = parse_limit(settings.TRACKING_RATE_LIMIT)
    [count] = hit(f"rate:{scope}:{client_ip(request)}", window=window)
    if count > limit:
        raise RateLimited(
            f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {window} giây.",
            f"Too many lookups. Please try again in {window} seconds.",
            retry_after=window,
        )


def check_user_rate(request, scope: str, limit_text: str) -> None:
    """The same for a signed-in user's sensitive lookups (the population database), counted per user."""
    limit, window = parse_limit(limit_text)
    [count] = hit(f"rate:{scope}:u{request.user.pk}", window=window)
    if count > limit:
        raise RateLimited(
            f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {window} giây.",
            f"Too many lookups. Please try again in {window} seconds.",
            retry_after=window,
        )
