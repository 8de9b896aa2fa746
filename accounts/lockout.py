"""Sign-in lockout, kept by django-axes: what the login page, the token endpoint and token use ask of it.

Failures are counted per username *and* client address together (AXES_LOCKOUT_PARAMETERS): someone failing
from their own address locks only that pair, so they can neither keep a clerk out from elsewhere nor lock
every account behind one office address. Attempts are rows in the database (axes' AccessAttempt, with each
failure in AccessFailureLog), visible and removable in the admin; `manage.py axes_reset_username` unlocks.
A locked attempt is refused before the password is checked and is not counted, so the lock ends
LOGIN_LOCKOUT_SECONDS after the failure that set it, whatever is tried meanwhile.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone, translation

from config.errors import RateLimited

# axes' modules import its models: they are imported when used (DRF's settings import
# accounts.authentication, which imports this module, before the apps are ready).


class LockedOut(RateLimited):
    code = "login_locked"


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username as typed, trimmed and case-folded, so 'MotCua.Thu ' and
    'motcua.thu' count as one. Unlock commands take it in this form (lower case)."""
    if credentials is not None:
        name = credentials.get("username")
    else:
        data = getattr(request, "data", None)
        name = (data if hasattr(data, "get") else request.POST).get("username")
    if name is None:
        return None
    return str(name).strip().casefold()[:255]


def _prepared(request, username: str) -> dict:
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)  # the client address (config.clientip) and time, read once
    return {"username": username}


def is_locked(request, username: str) -> bool:
    """The username is locked out at this request's client address (axes' own check)."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, _prepared(request, username))


def just_locked(request) -> bool:
    """The failure that this request just made was the last one allowed: axes locked the pair."""
    return bool(getattr(request, "axes_locked_out", False))


def seconds_left(request, username: str) -> int:
    """Until the lock of (username, address) ends: LOGIN_LOCKOUT_SECONDS after its last counted failure."""
    from axes.models import AccessAttempt
    from django.db.models import Max

    _prepared(request, username)
    cool_off = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    last = AccessAttempt.objects.filter(
        username=attempted_username(request, {"username": username}),
        ip_address=request.axes_ip_address,
        attempt_time__gte=timezone.now() - cool_off,
    ).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return settings.LOGIN_LOCKOUT_SECONDS
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def locked_out(seconds: int) -> LockedOut:
    minutes = max(1, math.ceil(seconds / 60))
    return LockedOut(
        f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
        f"Too many failed sign-ins. Please try again in {minutes} minute{'s' if minutes > 1 else ''}.",
        retry_after=seconds,
        minutes=minutes,
    )


def check_allowed(request, username: str) -> None:
    """Raise LockedOut (429, with Retry-After) while the username is locked at this address."""
    if is_locked(request, username):
        raise locked_out(seconds_left(request, username))


def forget_failures(request, username: str) -> None:
    """A good sign-in at the token endpoint ends the pair's run of failures, as the login page's does
    (AXES_RESET_ON_SUCCESS acts on the login signal, which issuing a token does not send)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.get_implementation().reset_user_attempts(request, _prepared(request, username))


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer when axes locks during a request. The login page and the token
    endpoint answer for themselves (the form shows the message); other sign-ins (the admin's) get the
    project's refusal: the bilingual error body on the API, a short page elsewhere."""
    if getattr(request, "lockout_shown", False) and original_response is not None:
        return original_response
    username = attempted_username(request, credentials) or ""
    error = locked_out(seconds_left(request, username))
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": error.as_dict()}, status=error.status_code)
    else:
        text = error.en if translation.get_language() == "en" else error.vi
        response = HttpResponse(text, status=error.status_code, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(error.extra["retry_after"])
    return response
