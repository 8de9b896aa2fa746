"""API token authentication: DRF's token lookup, with tokens that expire API_TOKEN_TTL_SECONDS after issue."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

TTL = 8 * 3600


@pytest.fixture(autouse=True)
def ttl(settings):
    settings.API_TOKEN_TTL_SECONDS = TTL


@pytest.fixture
def clerk_user(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="motcua.token", password="dung-mat-khau")


def api_with(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def obtain(api: APIClient | None = None) -> str:
    api = api or APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "motcua.token", "password": "dung-mat-khau"})
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def test_the_token_and_its_user_are_read_in_one_query(clerk_user, ward, django_assert_num_queries):
    api = api_with(Token.objects.create(user=clerk_user).key)
    # token + user (one join), the sign-in lockout of the user at this address, then the view's user with
    # its memberships and agencies
    with django_assert_num_queries(4):
        body = api.get("/api/v1/me/").json()
    assert body["username"] == "motcua.token"


@pytest.mark.parametrize("case", ["unknown", "inactive"])
def test_unknown_tokens_and_inactive_users_are_refused(clerk_user, case):
    key = Token.objects.create(user=clerk_user).key
    if case == "unknown":
        key = "0" * 40
    else:
        clerk_user.is_active = False
        clerk_user.save()
    response = api_with(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_works_until_its_lifetime_ends(clerk_user):
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        key = obtain()
    with time_machine.travel(issued + timedelta(seconds=TTL - 1), tick=False):
        assert api_with(key).get("/api/v1/me/").status_code == 200


def test_an_expired_token_is_refused_with_a_401_and_deleted(clerk_user):
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        key = obtain()
    with time_machine.travel(issued + timedelta(seconds=TTL), tick=False):
        response = api_with(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = response.json()["error"]
    assert error["code"] == "token_expired"
    assert error["message"] and error["message_en"]
    assert not Token.objects.filter(key=key).exists()


def test_signing_in_again_after_expiry_gives_a_fresh_token(clerk_user):
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        old = obtain()
        assert obtain() == old  # within its lifetime the same token is returned
    later = issued + timedelta(seconds=TTL + 60)
    with time_machine.travel(later, tick=False):
        fresh = obtain()
        assert fresh != old
        assert api_with(fresh).get("/api/v1/me/").status_code == 200
        assert api_with(old).get("/api/v1/me/").status_code == 401
    assert Token.objects.get(user=clerk_user).created == later


def test_the_lifetime_comes_from_the_setting(clerk_user, settings):
    settings.API_TOKEN_TTL_SECONDS = 60
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        key = obtain()
    with time_machine.travel(issued + timedelta(seconds=61), tick=False):
        assert api_with(key).get("/api/v1/me/").status_code == 401
