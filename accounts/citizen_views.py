"""Citizen sign-in through VNeID: the start (to the provider), the callback (back from it), and refusals.

A refusal never raises: the login page is shown again with the reason, in the reader's language, and the
staff form on it keeps working (the provider being down changes nothing for staff).
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .citizens import SignInRefused
from .oidc import refused
from .views import login_page

log = logging.getLogger(__name__)


def refusal(request, error: SignInRefused):
    log.info("citizen sign-in refused: %s", error.code)
    return login_page(request, vneid_error=error.message, status=error.status_code)


class CitizenStartView(OIDCAuthenticationRequestView):
    """Sends the browser to VNeID with a fresh state, nonce and PKCE challenge (kept in the session)."""

    def get(self, request):
        try:  # a short look first, so a provider that is down gets a clear page here, not a browser error
            requests.get(
                settings.OIDC_OP_JWKS_ENDPOINT, timeout=min(settings.OIDC_TIMEOUT, 3)
            ).raise_for_status()
        except requests.RequestException as error:
            log.warning("VNeID unreachable: %s", error)
            return refusal(request, refused("provider_down"))
        return super().get(request)


class CitizenCallbackView(OIDCAuthenticationCallbackView):
    """Back from VNeID: the state is looked up (and forgotten: a callback cannot be replayed), the code is
    exchanged with the PKCE verifier, the ID token verified, and the citizen's account signed in."""

    def get(self, request):
        error = request.GET.get("error")
        try:
            response = super().get(request)
        except SignInRefused as refusal_error:
            return refusal(request, refusal_error)
        except SuspiciousOperation:  # a state this browser never sent, or one already used
            return refusal(request, refused("bad_state"))
        if error:
            return refusal(request, refused("cancelled" if error == "access_denied" else "provider_refused"))
        return response

    def login_failure(self):
        return refusal(self.request, refused("bad_state"))

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or settings.CITIZEN_HOME_URL
