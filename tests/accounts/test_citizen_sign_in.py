"""Citizens sign in through the local VNeID provider over real HTTP (authorization code + PKCE)."""

import html
import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import Membership, Role, User
from tests import factories
from tests.vneid import (
    AN,
    BINH,
    callback_path,
    leave_provider,
    log_in_at_provider,
    provider_redirect,
    sign_in,
)


def test_first_sign_in_makes_the_citizen_account_from_the_claims(client, use_vneid):
    response = sign_in(client, AN[0])
    assert response.status_code == 302
    assert response["Location"] == "/tra-cuu/"
    user = User.objects.get(is_citizen=True, national_id=AN[0])
    assert (user.full_name, user.phone, user.birth_date) == (AN[1], "0912345678", date(1990, 5, 14))
    assert user.address.startswith("Số 12 phố Hàng Bạc")
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    page = client.get("/accounts/login/")  # any page under the site's header
    assert page.wsgi_request.user == user
    assert f'<span class="who-name">{AN[1]}</span>' in page.content.decode()


def test_the_request_carries_pkce_state_and_nonce(client, use_vneid):
    query = parse_qs(urlsplit(provider_redirect(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["scope"] == ["openid profile phone address"]


def test_claims_are_refreshed_on_each_sign_in_and_the_account_is_reused(client, use_vneid):
    sign_in(client, BINH[0])
    user = User.objects.get(is_citizen=True, national_id=BINH[0])
    user.full_name, user.phone, user.address = "Tên cũ", "0000", "Địa chỉ cũ"
    user.save()
    client.logout()
    sign_in(client, BINH[0])
    user.refresh_from_db()
    assert (user.full_name, user.phone) == (BINH[1], "0987654321")
    assert User.objects.filter(national_id=BINH[0], is_citizen=True).count() == 1


def test_a_staff_account_with_the_same_personal_id_is_never_taken_over(client, use_vneid, ward):
    staff = factories.user(role=Role.CLERK, agency=ward, username="motcua.an", national_id=AN[0])
    response = sign_in(client, AN[0])
    assert response.status_code == 302
    citizen = User.objects.get(is_citizen=True, national_id=AN[0])
    assert citizen.pk != staff.pk
    assert client.get("/tra-cuu/").wsgi_request.user == citizen
    staff.refresh_from_db()
    assert staff.username == "motcua.an" and not staff.is_citizen and staff.has_usable_password()


def test_a_callback_cannot_be_replayed(client, use_vneid):
    callback = callback_path(log_in_at_provider(provider_redirect(client), AN[0]))
    assert client.get(callback).status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "đã được sử dụng" in replay.content.decode()
    assert not replay.wsgi_request.user.is_authenticated


def test_a_callback_from_another_browser_is_refused(client, use_vneid):
    from django.test import Client

    callback = callback_path(log_in_at_provider(provider_redirect(client), AN[0]))
    other = Client()
    response = other.get(callback)
    assert response.status_code == 400
    assert "Yêu cầu đăng nhập không hợp lệ" in response.content.decode()
    assert not User.objects.filter(is_citizen=True).exists()


def test_a_forged_state_is_refused(client, use_vneid):
    location = log_in_at_provider(provider_redirect(client), AN[0])
    forged = location.replace("state=", "state=x", 1)
    response = client.get(callback_path(forged))
    assert response.status_code == 400
    assert not User.objects.filter(is_citizen=True).exists()


def test_a_citizen_who_cancels_at_vneid_sees_why(client, use_vneid):
    import requests

    browser = requests.Session()
    page = browser.get(provider_redirect(client), timeout=10)
    abort = re.search(r'action="([^"]+/abort)"', page.text).group(1)
    response = browser.post(use_vneid.url + abort, allow_redirects=False, timeout=10)
    location = leave_provider(browser, response, use_vneid.url)
    answer = client.get(callback_path(location))
    assert answer.status_code == 400
    assert "Bạn đã hủy đăng nhập bằng VNeID" in answer.content.decode()


def test_refusals_are_in_english_too(client, use_vneid):
    client.cookies["django_language"] = "en"
    callback = callback_path(log_in_at_provider(provider_redirect(client), AN[0]))
    client.get(callback)
    client.logout()
    client.cookies["django_language"] = "en"
    replay = client.get(callback)
    assert "The sign-in request is not valid or was already used" in replay.content.decode()


def test_signing_out_ends_the_session_and_the_provider_session(client, use_vneid):
    sign_in(client, AN[0])
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    link = re.search(r'id="vneid-end-session" href="([^"]+)"', response.content.decode()).group(1)
    assert f'<meta http-equiv="refresh" content="0;url={link}">' in response.content.decode()
    end = urlsplit(html.unescape(link))
    assert f"{end.scheme}://{end.netloc}{end.path}" == f"{use_vneid.url}/session/end"
    query = parse_qs(end.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    assert query["id_token_hint"][0].count(".") == 2
    assert not client.get("/tra-cuu/").wsgi_request.user.is_authenticated


def test_signing_out_stays_local_without_an_end_session_endpoint(client, use_vneid, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    sign_in(client, AN[0])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_home_sends_a_citizen_to_the_citizen_home(client, use_vneid, settings):
    settings.CITIZEN_HOME_URL = "/cong-dan/"
    sign_in(client, AN[0])
    assert client.get("/")["Location"] == "/cong-dan/"


def test_a_citizen_account_cannot_sign_in_with_a_password(client, use_vneid):
    sign_in(client, AN[0])
    client.logout()
    response = client.post("/accounts/login/", {"username": f"vneid.{AN[0]}", "password": ""})
    assert not response.wsgi_request.user.is_authenticated


def test_a_wrong_demo_password_stays_at_the_provider(client, use_vneid):
    with pytest.raises(AssertionError, match="provider answered 200"):  # its login page again
        log_in_at_provider(provider_redirect(client), AN[0], password="wrong")
    assert not User.objects.filter(is_citizen=True).exists()


@pytest.mark.parametrize(
    ("next_url", "landing"), [("/tra-cuu/?ma=1", "/tra-cuu/?ma=1"), ("https://evil.example/", "/tra-cuu/")]
)
def test_the_page_asked_for_is_kept_when_it_is_on_this_site(client, use_vneid, next_url, landing):
    login_page = client.get("/accounts/login/", {"next": next_url}).content.decode()
    assert ("/accounts/vneid/?next=" in login_page) == next_url.startswith("/")  # Django drops unsafe ones
    start = client.get("/accounts/vneid/", {"next": next_url})
    location = log_in_at_provider(start["Location"], AN[0])
    assert client.get(callback_path(location))["Location"] == landing
