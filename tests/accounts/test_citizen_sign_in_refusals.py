"""A provider that misbehaves, or is down, is refused with a clear message; nobody is signed in and staff
sign-in keeps working."""

import pytest

from accounts.models import User
from tests import factories
from tests.vneid import AN, free_port, sign_in

REFUSALS = [
    ("wrong_key", "Chữ ký của mã xác thực VNeID không hợp lệ"),
    ("hs256", "Chữ ký của mã xác thực VNeID không hợp lệ"),
    ("expired", "Mã xác thực VNeID đã hết hạn"),
    ("wrong_iss", "Mã xác thực không do VNeID cấp"),
    ("wrong_aud", "không dành cho hệ thống này"),
    ("no_nonce", "không khớp với yêu cầu đăng nhập này"),
    ("wrong_nonce", "không khớp với yêu cầu đăng nhập này"),
    ("no_id", "không trả về số định danh cá nhân hợp lệ"),
    ("bad_id", "không trả về số định danh cá nhân hợp lệ"),
]


@pytest.mark.parametrize(("fault", "message"), REFUSALS)
def test_a_misbehaving_provider_is_refused(client, use_faulty_vneid, fault, message):
    use_faulty_vneid(fault)
    response = sign_in(client, AN[0])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(is_citizen=True).exists()
    assert "Đăng nhập bằng VNeID" in response.content.decode()  # the login page, to try again


def test_a_token_signed_with_another_key_is_refused_in_english(client, use_faulty_vneid):
    use_faulty_vneid("wrong_key")
    client.cookies["django_language"] = "en"
    response = sign_in(client, AN[0])
    assert "The signature of the VNeID identity token is not valid" in response.content.decode()


def test_a_provider_that_is_down_gets_a_clear_page_and_staff_still_sign_in(client, use_vneid, settings, ward):
    dead = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{dead}/jwks"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{dead}/auth"
    response = client.get("/accounts/vneid/")
    assert response.status_code == 200
    assert "Không kết nối được VNeID" in response.content.decode()
    factories.user(username="clerk.a", password="pass12345")
    staff = client.post("/accounts/login/", {"username": "clerk.a", "password": "pass12345"})
    assert staff.status_code == 302
    assert staff.wsgi_request.user.username == "clerk.a"


def test_a_provider_that_goes_down_during_the_sign_in(client, use_vneid, settings):
    from tests.vneid import callback_path, log_in_at_provider, provider_redirect

    location = log_in_at_provider(provider_redirect(client), AN[0])
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/token"
    response = client.get(callback_path(location))
    assert response.status_code == 200
    assert "Không kết nối được VNeID" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_provider_refusing_the_code_exchange(client, use_vneid, settings):
    from tests.vneid import callback_path, log_in_at_provider, provider_redirect

    location = log_in_at_provider(provider_redirect(client), AN[0])
    settings.OIDC_RP_CLIENT_SECRET = "not-the-secret"
    response = client.get(callback_path(location))
    assert response.status_code == 400
    assert "VNeID từ chối yêu cầu đăng nhập" in response.content.decode()


def test_a_citizen_account_given_a_staff_role_is_refused(client, use_vneid, ward):
    from accounts.models import Role

    sign_in(client, AN[0])
    client.logout()
    citizen = User.objects.get(is_citizen=True, national_id=AN[0])
    citizen.memberships.create(agency=ward, role=Role.CLERK)
    response = sign_in(client, AN[0])
    assert response.status_code == 400
    assert "đang gắn vai trò cán bộ" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_the_database_keeps_one_citizen_account_per_personal_id(db):
    from django.db import IntegrityError, transaction

    User.objects.create(username="a", is_citizen=True, national_id=AN[0])
    User.objects.create(username="staff", is_citizen=False, national_id=AN[0])  # staff may share it
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="b", is_citizen=True, national_id=AN[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="c", is_citizen=True, national_id="12345")
