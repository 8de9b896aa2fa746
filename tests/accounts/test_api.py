"""Token and session authentication for the API, and the current user with their roles."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests import factories


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clerk_user(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="motcua.api", password="dung-mat-khau")


def test_token_is_issued_for_good_credentials_and_authenticates(api, clerk_user):
    response = api.post("/api/v1/auth/token/", {"username": "motcua.api", "password": "dung-mat-khau"})
    assert response.status_code == 200
    token = response.json()["token"]
    again = api.post("/api/v1/auth/token/", {"username": "motcua.api", "password": "dung-mat-khau"})
    assert again.json()["token"] == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "motcua.api"


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
MISSING = "Thiếu tên đăng nhập hoặc mật khẩu."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"username": "motcua.api", "password": "sai"}, WRONG),
        ({"username": "ai.do", "password": "sai"}, WRONG),
        ({"username": "motcua.api"}, MISSING),
        ({}, MISSING),
    ],
)
def test_bad_credentials_get_a_bilingual_400(api, clerk_user, body, message):
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"] == message
    assert error["message_en"]


def test_a_malformed_body_is_a_400_not_a_500(api, db):
    response = api.post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message_en"]


def test_inactive_users_get_no_token(api, clerk_user):
    clerk_user.is_active = False
    clerk_user.save()
    response = api.post("/api/v1/auth/token/", {"username": "motcua.api", "password": "dung-mat-khau"})
    assert response.status_code == 400


def test_me_lists_memberships_with_agency_and_role(api, clerk_user, province, ward):
    clerk_user.memberships.create(agency=province, role=Role.SUPERVISOR)
    api.force_authenticate(clerk_user)
    body = api.get("/api/v1/me/").json()
    assert body["full_name"] == clerk_user.full_name
    assert sorted((m["agency_code"], m["agency_name"], m["role"]) for m in body["memberships"]) == sorted(
        [(ward.code, ward.name, "clerk"), (province.code, province.name, "supervisor")]
    )
    assert {m["role_label"] for m in body["memberships"]} == {"Công chức một cửa", "Giám sát"}


def test_me_works_with_the_session_of_the_html_login(client, clerk_user):
    client.force_login(clerk_user)
    assert client.get("/api/v1/me/").json()["username"] == "motcua.api"


def test_me_needs_authentication(api, db):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Bạn cần đăng nhập."


def test_me_query_count_does_not_grow_with_memberships(api, clerk_user, province, django_assert_num_queries):
    api.force_authenticate(clerk_user)
    with django_assert_num_queries(2):
        api.get("/api/v1/me/")
    for _ in range(5):
        clerk_user.memberships.create(agency=factories.agency(parent=province), role=Role.HANDLER)
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/me/").json()["memberships"]) == 6


def test_token_endpoint_is_documented(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "post" in schema["paths"]["/api/v1/auth/token/"]
    assert "get" in schema["paths"]["/api/v1/me/"]
