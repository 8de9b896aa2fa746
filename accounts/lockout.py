"""Sign-in lockout: too many failed attempts for one username or from one client IP are refused for a while.

Shared by the login page and the token endpoint. A locked attempt is refused before the password is checked,
so its answer takes the same time whether the password was right or not, and it is not counted.
"""

from __future__ import annotations

import hashlib
import logging
import math

from django.conf import settings

from config.clientip import client_ip
from config.errors import RateLimited
from config.ratelimit import forget, hit, over_limit

logger = logging.getLogger(__name__)

PREFIX = "login:"
IP_FACTOR = 4  # one office's clerks share an address: the address gets this many times the username limit


class LockedOut(RateLimited):
    code = "login_locked"


def _user_key(username: str) -> str:
    # Hashed: any text can be typed as a username, and counters should not list who tried what.
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"{PREFIX}user:{digest}"


def _ip_key(request) -> str:
    return f"{PREFIX}ip:{client_ip(request)}"


def _limits(username: str, request) -> dict[str, int]:
    most = settings.LOGIN_MAX_FAILURES
    return {_user_key(username): most, _ip_key(request): most * IP_FACTOR}


def locked_out(seconds: int) -> LockedOut:
    minutes = max(1, math.ceil(seconds / 60))
    return LockedOut(
        f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
        f"Too many failed sign-ins. Please try again in {minutes} minute{'s' if minutes > 1 else ''}.",
        retry_after=seconds,
        minutes=minutes,
    )


def check_allowed(username: str, request) -> None:
    """Raise LockedOut while the username or the client IP has used up its failures in the window."""
    wait = over_limit(_limits(username, request))
    if wait:
        raise locked_out(wait)


def record_failure(username: str, request) -> None:
    """Count a failed sign-in against the username and the client IP; note the moment either locks."""
    limits = _limits(username, request)
    counts = hit(*limits, window=settings.LOGIN_LOCKOUT_SECONDS)
    for (key, limit), count in zip(limits.items(), counts, strict=True):
        if count == limit:
            logger.warning(
                "sign-in locked for %ss after %s failures: %s (username %r, ip %s)",
                settings.LOGIN_LOCKOUT_SECONDS,
                count,
                "username" if key.startswith(f"{PREFIX}user:") else "client ip",
                username[:150],
                client_ip(request),
            )


def record_success(username: str) -> None:
    """A good sign-in ends the username's run of failures (the client IP's count stays)."""
    forget(_user_key(username))
