"""With the shared Redis down, sign-in and public tracking answer as usual (never a 500) and keep limiting.

The cache points at a port where nothing listens. The sign-in lockout and the lookups' rate limit then count
in the web process's memory (config.ratelimit), and the outage is logged as a warning.
"""

from __future__ import annotations

import socket

import pytest
import time_machine
from rest_framework.test import APIClient

import config.cache
from accounts.models import Role
from config import ratelimit
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, intake

pytestmark = pytest.mark.django_db

PAGE, TOKEN, TRACK_API, TRACK_PAGE = (
    "/accounts/login/",
    "/api/v1/auth/token/",
    "/api/v1/public/track",
    "/tra-cuu/",
)
GOOD = "dung-mat-khau"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Cache and broker on a port with nothing behind it; fresh in-process counters before and after."""
    monkeypatch.setattr(config.cache, "_last_warning", float("-inf"))  # the first failure here is logged
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    settings.CELERY_BROKER_URL = url
    ratelimit.local.__init__()
    yield url
    ratelimit.local.__init__()


@pytest.fixture
def clerk_user(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="motcua.thu", password=GOOD)


@pytest.fixture
def received(clerk, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


def test_the_token_endpoint_answers_200_and_401_as_usual(redis_down, clerk_user):
    api = APIClient()
    good = api.post(TOKEN, {"username": "motcua.thu", "password": GOOD}, format="json")
    bad = api.post(TOKEN, {"username": "motcua.thu", "password": "sai"}, format="json")
    assert good.status_code == 200 and good.json()["token"]
    assert bad.status_code in (400, 401)


def test_the_login_page_signs_in_and_refuses_a_wrong_password(redis_down, client, clerk_user):
    assert client.get(PAGE).status_code == 200
    wrong = client.post(PAGE, {"username": "motcua.thu", "password": "sai"})
    assert wrong.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.content.decode()
    assert client.post(PAGE, {"username": "motcua.thu", "password": GOOD}).status_code == 302


def test_the_lockout_keeps_counting_without_redis(redis_down, client, clerk_user, settings):
    """Sign-in failures are counted in PostgreSQL (django-axes), so a Redis outage changes nothing."""
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(PAGE, {"username": "motcua.thu", "password": "sai"})
    locked = client.post(PAGE, {"username": "motcua.thu", "password": GOOD})
    assert locked.status_code == 200 and "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    token = APIClient().post(TOKEN, {"username": "motcua.thu", "password": GOOD}, format="json")
    assert token.status_code == 429


def test_public_tracking_answers_as_usual(redis_down, client, received):
    found = client.get(TRACK_API, {"code": received.code, "pin": received.tracking_pin})
    missed = client.get(TRACK_API, {"code": received.code, "pin": "000000"})
    page = client.post(TRACK_PAGE, {"code": received.code, "pin": received.tracking_pin})
    assert found.status_code == 200 and found.json()["code"] == received.code
    assert missed.status_code == 404
    assert page.status_code == 200 and "Được tiếp nhận" in page.content.decode()


def test_the_lookup_limit_still_holds(redis_down, client, received, settings):
    settings.TRACKING_RATE_LIMIT = "3/60"
    answers = [client.get(TRACK_API, {"code": received.code, "pin": "000000"}).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]


def test_counting_returns_to_redis_once_it_answers(redis_down, settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "RETRY_REDIS_AFTER", 0)
    assert ratelimit.hit("probe:x", window=60) == [1]  # in memory
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": settings.REDIS_URL}}
    ratelimit.forget("probe:x")
    assert ratelimit.hit("probe:x", window=60) == [1]  # in Redis
    assert ratelimit.hit("probe:x", window=60) == [2]
    ratelimit.forget("probe:x")
