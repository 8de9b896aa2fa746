"""API token authentication: DRF's `Authorization: Token <key>`, with tokens that expire."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

# Imported by DRF's settings while config.errors loads: models are imported when used.


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("Token has expired.")
    default_code = "token_expired"


def token_expired(token, now=None) -> bool:
    """A token lives API_TOKEN_TTL_SECONDS from its creation (a working day by default)."""
    lifetime = timedelta(seconds=settings.API_TOKEN_TTL_SECONDS)
    return token.created + lifetime <= (now or timezone.now())


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token lookup (token and user in one query); an expired token is refused with a 401 and deleted,
    so the client signs in again at `POST /api/v1/auth/token/`. While the user's sign-in is locked at the
    request's address (accounts.lockout), a token issued before the lock is refused as the sign-in is: 429
    `login_locked` with Retry-After; from other addresses, which the lock does not cover, it still works."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None:
            from . import lockout

            username = authenticated[0].get_username()
            lockout.check_allowed(request._request, username)
        return authenticated

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise TokenExpired()
        return user, token
