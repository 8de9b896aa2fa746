"""Citizen accounts: made and refreshed from the identity claims of a VNeID sign-in.

The account is keyed by the 12-digit personal ID (số định danh cá nhân). It has no password (citizens sign in
only through the identity provider) and no staff memberships; a staff account carrying the same personal ID is
a different account and is never signed into by a citizen login.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction

from config.errors import DomainError

from .models import User

log = logging.getLogger(__name__)

PERSONAL_ID = re.compile(r"\A[0-9]{12}\Z")
USERNAME_PREFIX = "vneid."


class SignInRefused(DomainError):
    """A citizen sign-in that is refused; the login page shows the message."""

    status_code = 400
    code = "sign_in_refused"


@dataclass(frozen=True)
class CitizenIdentity:
    national_id: str
    full_name: str
    phone: str
    birth_date: date | None
    address: str


def _text(value, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _address(value) -> str:
    if isinstance(value, dict):  # OpenID Connect's address claim: {"formatted": ...}
        value = value.get("formatted") or ", ".join(
            str(value[k]) for k in ("street_address", "locality", "region") if value.get(k)
        )
    return _text(value, 255)


def _birth_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def identity_from_claims(claims: dict) -> CitizenIdentity:
    """The citizen's identity from the verified claims; the personal ID must be exactly 12 digits."""
    national_id = claims.get(settings.VNEID_ID_CLAIM)
    if not isinstance(national_id, str) or not PERSONAL_ID.match(national_id):
        raise SignInRefused(
            "VNeID không trả về số định danh cá nhân hợp lệ (12 chữ số). Không thể đăng nhập.",
            "VNeID did not return a valid personal ID (12 digits). You cannot be signed in.",
            code="invalid_personal_id",
        )
    return CitizenIdentity(
        national_id=national_id,
        full_name=_text(claims.get("name"), 255),
        phone=_text(claims.get("phone_number"), 20),
        birth_date=_birth_date(claims.get("birthdate")),
        address=_address(claims.get("address")),
    )


def citizen_account(national_id: str) -> User | None:
    return User.objects.filter(is_citizen=True, national_id=national_id).first()


@transaction.atomic
def sign_in_citizen(identity: CitizenIdentity) -> User:
    """The citizen's account, made on the first sign-in and refreshed from the claims on each one."""
    user = User.objects.select_for_update().filter(is_citizen=True, national_id=identity.national_id).first()
    if user is None:
        user = _create(identity)
    elif user.memberships.exists():
        raise SignInRefused(
            "Tài khoản công dân này đang gắn vai trò cán bộ nên bị từ chối. Vui lòng liên hệ quản trị viên.",
            "This citizen account carries staff roles and is refused. Please contact the administrator.",
            code="citizen_with_roles",
        )
    if not user.is_active:
        raise SignInRefused(
            "Tài khoản công dân này đã bị khóa. Vui lòng liên hệ Bộ phận Một cửa.",
            "This citizen account is locked. Please contact the one-stop centre.",
            code="inactive",
        )
    changed = [
        name
        for name in ("full_name", "phone", "birth_date", "address")
        if getattr(user, name) != getattr(identity, name)
    ]
    for name in changed:
        setattr(user, name, getattr(identity, name))
    if changed:
        user.save(update_fields=changed)
    return user


def _create(identity: CitizenIdentity) -> User:
    username = f"{USERNAME_PREFIX}{identity.national_id}"
    if User.objects.filter(username=username).exists():  # a staff account took the name: never reuse it
        raise SignInRefused(
            "Tên tài khoản công dân đã được một tài khoản khác sử dụng. Vui lòng liên hệ quản trị viên.",
            "The citizen account name is used by another account. Please contact the administrator.",
            code="username_taken",
        )
    try:
        with transaction.atomic():
            user = User(username=username, is_citizen=True, national_id=identity.national_id)
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # the same citizen signing in twice at once: the other request made the account
        user = User.objects.select_for_update().get(is_citizen=True, national_id=identity.national_id)
    log.info("citizen account created for personal ID ending %s", identity.national_id[-4:])
    return user
