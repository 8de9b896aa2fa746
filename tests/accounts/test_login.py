"""Sign-in and sign-out pages: Vietnamese by default, clear errors, English on request."""

import pytest

from accounts.models import Role
from tests import factories


@pytest.fixture
def clerk_user(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="motcua.thu", password="dung-mat-khau")


def test_login_page_is_in_vietnamese(client, db):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert 'name="viewport"' in html


def test_signing_in_sends_a_clerk_to_the_desk(client, clerk_user):
    response = client.post("/accounts/login/", {"username": "motcua.thu", "password": "dung-mat-khau"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/desk/"


def test_signing_in_honours_next(client, clerk_user):
    response = client.post(
        "/accounts/login/", {"username": "motcua.thu", "password": "dung-mat-khau", "next": "/tra-cuu/"}
    )
    assert response["Location"] == "/tra-cuu/"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"username": "motcua.thu", "password": "sai"}, "Tên đăng nhập hoặc mật khẩu không đúng."),
        ({"username": "khong.ton.tai", "password": "sai"}, "Tên đăng nhập hoặc mật khẩu không đúng."),
        ({"username": "", "password": "x"}, "Vui lòng nhập tên đăng nhập."),
        ({"username": "motcua.thu", "password": ""}, "Vui lòng nhập mật khẩu."),
    ],
)
def test_a_failed_sign_in_says_why_in_vietnamese(client, clerk_user, form, message):
    response = client.post("/accounts/login/", form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, clerk_user):
    clerk_user.is_active = False
    clerk_user.save()
    response = client.post("/accounts/login/", {"username": "motcua.thu", "password": "dung-mat-khau"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_logout_signs_out_and_returns_to_login(client, clerk_user):
    client.force_login(clerk_user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_page_shell_shows_the_user_and_role_links(client, clerk_user):
    client.force_login(clerk_user)
    html = client.get("/accounts/login/").content.decode()
    assert clerk_user.full_name in html
    assert 'href="/desk/"' in html
    assert 'href="/dashboard/"' not in html
    assert "Đăng xuất" in html


def test_the_footer_switches_the_language_to_english(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html and "English" in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html  # needs the compiled catalogue: `make messages`


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client, db):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in html


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()
