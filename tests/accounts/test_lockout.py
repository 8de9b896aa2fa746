"""Sign-in lockout (django-axes): repeated failures of one username from one address lock that pair, before
any password check, on the login page and the token endpoint alike; an attacker elsewhere locks only
themselves, trying while locked does not extend the lock, tokens are refused at the locked address, and the
failures are in the admin, where an administrator can unlock."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from tests import factories

PAGE, TOKEN, ME = "/accounts/login/", "/api/v1/auth/token/", "/api/v1/me/"
GOOD = "dung-mat-khau"
LOCKED_VI = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
BAD_VI = "Tên đăng nhập hoặc mật khẩu không đúng"
ATTACKER = "203.0.113.66"


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
        assert BAD_VI in page_sign_in(client, username, "sai", **extra)


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


def test_the_fifth_failure_locks_and_says_so(client, clerk_user):
    fail(client, times=4)
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", "sai")


def test_a_locked_username_is_refused_even_the_right_password_before_it_is_checked(
    client, clerk_user, attempts_checked
):
    fail(client, times=4)
    page_sign_in(client, "motcua.thu", "sai")
    checked = len(attempts_checked)

    html = page_sign_in(client, "motcua.thu", GOOD)

    assert LOCKED_VI in html
    assert "_auth_user_id" not in client.session
    assert len(attempts_checked) == checked  # refused before the password was looked at


def test_the_username_is_counted_whatever_its_case(client, clerk_user):
    fail(client, "MOTCUA.THU", times=3)
    fail(client, "Motcua.Thu ", times=1)
    page_sign_in(client, "motcua.thu", "sai")
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD)


def test_a_good_sign_in_clears_the_failures(client, clerk_user):
    fail(client, times=4)
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"
    client.logout()
    fail(client, times=4)
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"


def test_an_attacker_elsewhere_cannot_keep_the_clerk_out(client, clerk_user):
    for _ in range(12):
        page_sign_in(client, "motcua.thu", "sai", REMOTE_ADDR=ATTACKER)
    assert LOCKED_VI in page_sign_in(client, "motcua.thu", GOOD, REMOTE_ADDR=ATTACKER)
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"  # the clerk at the counter's address


def test_many_failures_from_one_address_do_not_lock_its_other_accounts(client, clerk_user):
    for n in range(20):  # one office address, twenty mistyped usernames
        fail(client, f"nguoi.{n}")
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"


def test_trying_again_while_locked_does_not_extend_the_lock(client, clerk_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, times=4)
        page_sign_in(client, "motcua.thu", "sai")
    for minutes in (5, 10, 14):  # the attacker re-fails before each Retry-After ends
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert LOCKED_VI.replace("15", str(15 - minutes)) in page_sign_in(client, "motcua.thu", "sai")
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"


def test_the_proxy_setting_decides_the_address(client, clerk_user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    behind = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": ATTACKER}
    for _ in range(5):
        page_sign_in(client, "motcua.thu", "sai", **behind)
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    elsewhere = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert page_sign_in(client, "motcua.thu", GOOD, **elsewhere) == "signed in"


def test_the_token_endpoint_answers_429_with_retry_after_before_the_password(
    api, clerk_user, django_assert_num_queries
):
    for _ in range(4):
        assert api.post(TOKEN, {"username": "motcua.thu", "password": "sai"}).status_code == 400
    assert api.post(TOKEN, {"username": "motcua.thu", "password": "sai"}).status_code == 429

    with django_assert_num_queries(2):  # the attempts and their time; neither user nor password looked up
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


def test_a_token_issued_before_the_lock_is_refused_during_it_at_that_address(api, clerk_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        key = api.post(TOKEN, {"username": "motcua.thu", "password": GOOD}).json()["token"]
        for _ in range(5):
            api.post(TOKEN, {"username": "motcua.thu", "password": "sai"})
        holder = APIClient()
        holder.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = holder.get(ME)
        assert response.status_code == 429 and response.json()["error"]["code"] == "login_locked"
        assert int(response["Retry-After"]) > 0
        assert holder.get(ME, REMOTE_ADDR="198.51.100.20").status_code == 200  # not the locked pair
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert holder.get(ME).status_code == 200


def test_failures_are_logged_for_the_admin_and_an_administrator_unlocks(client, api, clerk_user):
    fail(client, times=4)
    page_sign_in(client, "motcua.thu", "sai")
    assert AccessFailureLog.objects.filter(username="motcua.thu").count() == 5
    assert AccessFailureLog.objects.filter(locked_out=True).count() == 1
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "motcua.thu",
        "127.0.0.1",
        5,
    )

    admin = factories.user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200
    client.logout()

    call_command("axes_reset_username", "motcua.thu")
    assert page_sign_in(client, "motcua.thu", GOOD) == "signed in"


def test_the_admin_login_is_locked_too_with_the_projects_message(client, clerk_user):
    for _ in range(5):
        client.post("/admin/login/", {"username": "motcua.thu", "password": "sai"})
    response = client.post("/admin/login/", {"username": "motcua.thu", "password": GOOD})
    assert response.status_code == 429 and LOCKED_VI in response.content.decode()


def test_the_page_says_it_in_english_when_english_is_chosen(client, clerk_user):
    fail(client, times=4)
    page_sign_in(client, "motcua.thu", "sai")
    client.post("/i18n/setlang/", {"language": "en", "next": PAGE})
    html = page_sign_in(client, "motcua.thu", GOOD)
    assert "Too many failed sign-ins. Please try again in 15 minutes." in html
