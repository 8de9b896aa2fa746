"""The VNeID (OpenID Connect) authentication backend: a verified ID token signs a citizen in.

mozilla-django-oidc runs the authorization code flow with PKCE and checks the state and the nonce; here the
ID token is also held to its issuer, audience, expiry and issue time (pyjwt), its signature to the
provider's JWKS (RS256 only), and the identity claims are read from that signed token.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import citizens
from .citizens import SignInRefused

log = logging.getLogger(__name__)


def refused(code: str) -> SignInRefused:
    vi, en = REASONS[code]
    error = SignInRefused(vi, en, code=code)
    if code == "provider_down":
        # Nothing was wrong with the request: the login page is shown again as for a form error (200), and
        # the outage is logged; the staff form on that page works as ever.
        error.status_code = 200
    return error


REASONS = {
    "bad_signature": (
        "Chữ ký của mã xác thực VNeID không hợp lệ. Không thể đăng nhập.",
        "The signature of the VNeID identity token is not valid. You cannot be signed in.",
    ),
    "wrong_issuer": (
        "Mã xác thực không do VNeID cấp. Không thể đăng nhập.",
        "The identity token was not issued by VNeID. You cannot be signed in.",
    ),
    "wrong_audience": (
        "Mã xác thực VNeID không dành cho hệ thống này. Không thể đăng nhập.",
        "The VNeID identity token was not issued for this service. You cannot be signed in.",
    ),
    "expired": (
        "Mã xác thực VNeID đã hết hạn. Vui lòng đăng nhập lại.",
        "The VNeID identity token has expired. Please sign in again.",
    ),
    "bad_nonce": (
        "Mã xác thực VNeID không khớp với yêu cầu đăng nhập này. Vui lòng đăng nhập lại.",
        "The VNeID identity token does not match this sign-in request. Please sign in again.",
    ),
    "bad_state": (
        "Yêu cầu đăng nhập không hợp lệ hoặc đã được sử dụng. Vui lòng bấm “Đăng nhập bằng VNeID” lại.",
        "The sign-in request is not valid or was already used. Please choose “Sign in with VNeID” again.",
    ),
    "provider_down": (
        "Không kết nối được VNeID. Vui lòng thử lại sau; cán bộ vẫn đăng nhập bằng tài khoản của mình.",
        "VNeID cannot be reached. Please try again later; staff can still sign in with their account.",
    ),
    "provider_refused": (
        "VNeID từ chối yêu cầu đăng nhập. Vui lòng đăng nhập lại.",
        "VNeID refused the sign-in request. Please sign in again.",
    ),
    "cancelled": (
        "Bạn đã hủy đăng nhập bằng VNeID.",
        "You cancelled the sign-in with VNeID.",
    ),
}


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the VNeID callback (which passes the nonce) reaches the provider; a staff username and
        # password are never tried here.
        if request is None or "nonce" not in kwargs or kwargs.get("username") or kwargs.get("password"):
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:
            log.warning("VNeID token endpoint refused: %s", error)
            raise refused("provider_refused") from None
        except requests.RequestException as error:
            log.warning("VNeID unreachable: %s", error)
            raise refused("provider_down") from None

    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError:
            raise refused("bad_signature") from None
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise refused("bad_signature")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
                leeway=30,
            )
        except jwt.InvalidIssuerError:
            raise refused("wrong_issuer") from None
        except jwt.InvalidAudienceError:
            raise refused("wrong_audience") from None
        except jwt.ExpiredSignatureError:
            raise refused("expired") from None
        except jwt.PyJWTError as error:  # a bad signature, a missing claim, a malformed token
            log.warning("VNeID ID token refused: %s", error)
            raise refused("bad_signature") from None

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except SuspiciousOperation:  # no published key has the token's key id
            raise refused("bad_signature") from None
        except (jwt.PyJWTError, KeyError, ValueError):
            raise refused("bad_signature") from None

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or not token:
            raise refused("bad_signature")
        payload = self.get_payload_data(token, self.retrieve_matching_jwk(token))
        # The nonce given to this browser's sign-in request must come back in the token, exactly.
        nonce = kwargs.get("nonce")
        if not nonce or payload.get("nonce") != nonce:
            raise refused("bad_nonce")
        # Several audiences: the token must also name this service as the party it was issued to.
        aud = payload.get("aud")
        if isinstance(aud, list) and len(aud) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise refused("wrong_audience")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The identity claims of the verified, signed ID token."""
        return payload

    def verify_claims(self, claims):
        return True  # identity_from_claims checks the personal ID

    def filter_users_by_claims(self, claims):
        identity = citizens.identity_from_claims(claims)
        return self.UserModel.objects.filter(is_citizen=True, national_id=identity.national_id)

    def get_or_create_user(self, access_token, id_token, payload):
        return citizens.sign_in_citizen(citizens.identity_from_claims(self.get_userinfo(None, None, payload)))
