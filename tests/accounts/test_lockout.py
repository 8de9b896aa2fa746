"""Sign-in lockout: repeated failures for one username or from one address are refused, before any password
check, on the login page and the token endpoint alike; a good sign-in ends a username's run of failures."""

import logging

import pytest
from django.contrib.auth.signals import user_logged_in, user_login_failed
from rest_framework.test import APIClient

from accounts.models import Role
from tests import factories

PAGE, TOKEN = "/accounts/login/", "/api/v1/auth/token/"
GOOD = "dung-mat-khau"
LOCKED_VI = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


@pytest.fixture
def clerk_user(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="motcua.thu", password=GOOD)


@pytest.fixture
def api():
    return APIClient()


def page_sign_in(client, username: str, password: str, **extra) -> str:
    response = client.post(PAGE, {"username": username, "password": password}, **extra)
    return response.content.decode() if response.status_code == 200 else "signed in"


def fail(client, username: str = "motcua.thu", times: int = 1, **extra) -> None:
    for _ in range(times):
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page_sign_in(client, username, "sai", **extra)


@pytest.fixture
def attempts_checked():
    """Every password check that authenticate() makes ends in one of these two signals."""
    seen = []

    def note(sender, **kwargs):
        seen.append(sender)

    user_login_failed.connect(note, dispatch_uid="lockout-test-failed")
    user_logged_in.connect(note, dispatch_uid="lockout-test-in")
    yield seen
    user_login_failed.disconnect(dispatch_uid="lockout-test-failed")
    user_logged_in.disconnect(dispatch_uid="lockout-test-in")


def test_five_failures_lock_the_username_even_against_the_right_password(
    client, clerk_user, attempts_checked
):
    fail(client, times=5)
    checked = len(attempts_checked)

    html = page_sign_in(client, "motcua.thu", GOOD)

    assert LOCKED_VI in html
    assert "_auth_user_id" not in client.session
    assert len(attempts_checked) == checked  # refused before the password was looked at


def test_the_username_is_counted_whatever_its_case(client, clerk_user):
    fail(client, "MOTCUA.THU", times=3)
    fail(client, "Motcua.Thu ", times=2)
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD)


def test_a_good_sign_in_clears_the_usernames_failures(client, clerk_user):
    fail(client, times=4)
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"
    client.logout()
    fail(client, times=4)
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"


def test_other_usernames_are_not_locked_by_one_usernames_failures(client, clerk_user, ward):
    factories.user(role=Role.CLERK, agency=ward, username="motcua.hai", password=GOOD)
    fail(client, times=5)
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD)
    assert page_sign_in(client, "motcua.hai", GOOD) == "signed in"


def test_one_address_is_locked_after_four_times_as_many_failures(client, clerk_user, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(8):  # one failure for each of 8 usernames: none is locked on its own
        fail(client, f"nguoi.{n}")

    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD)
    assert page_sign_in(client, "motcua.thu", GOOD, REMOTE_ADDR="10.1.2.3") == "signed in"


def test_the_token_endpoint_answers_429_with_retry_after_and_no_query(
    api, clerk_user, django_assert_num_queries
):
    for _ in range(5):
        assert api.post(TOKEN, {"username": "motcua.thu", "password": "sai"}).status_code == 400

    with django_assert_num_queries(0):  # neither the user nor the password is looked up
        response = api.post(TOKEN, {"username": "motcua.thu", "password": GOOD})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    error = response.json()["error"]
    assert error["code"] == "login_locked"
    assert error["message"] == LOCKED_VI
    assert error["message_en"] == "Too many failed sign-ins. Please try again in 15 minutes."
    assert error["retry_after"] == int(response["Retry-After"]) and error["minutes"] == 15


def test_the_page_and_the_token_endpoint_share_the_count(client, api, clerk_user):
    fail(client, times=3)
    for _ in range(2):
        api.post(TOKEN, {"username": "motcua.thu", "password": "sai"})
    assert api.post(TOKEN, {"username": "motcua.thu", "password": GOOD}).status_code == 429
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD)


def test_missing_fields_are_not_counted(client, api, clerk_user):
    for _ in range(6):
        client.post(PAGE, {"username": "motcua.thu", "password": ""})
        api.post(TOKEN, {"username": "motcua.thu"})
    assert api.post(TOKEN, {"username": "motcua.thu", "password": GOOD}).status_code == 200


def test_the_lockout_is_logged_once_when_it_starts(client, clerk_user, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.lockout"):
        fail(client, times=5)
        page_sign_in(client, "motcua.thu", GOOD)
        page_sign_in(client, "motcua.thu", "sai")
    lines = [r.getMessage() for r in caplog.records if r.name == "accounts.lockout"]
    assert len(lines) == 1
    assert "5 failures" in lines[0] and "'motcua.thu'" in lines[0] and "127.0.0.1" in lines[0]


def test_the_page_says_it_in_english_when_english_is_chosen(client, clerk_user):
    fail(client, times=5)
    client.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    html = page_sign_in(client, "motcua.thu", GOOD)
    assert "Too many failed sign-ins. Please try again in 15 minutes." in html
