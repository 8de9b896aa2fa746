"""The admin for users, agencies and memberships renders, searches, and protects codes in use."""

import pytest

from accounts.models import Role
from tests import factories


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.user(username="quantri", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/agency/",
        "/admin/accounts/agency/?q=Thử",
        "/admin/accounts/membership/",
        "/admin/accounts/membership/?role=clerk",
    ],
)
def test_admin_pages_render(admin_client, clerk, url):
    assert admin_client.get(url).status_code == 200


def test_user_page_shows_memberships_inline(admin_client, clerk, ward):
    html = admin_client.get(f"/admin/accounts/user/{clerk.pk}/change/").content.decode()
    assert "vai trò tại cơ quan" in html.lower()
    assert ward.name in html


def test_agency_search_finds_by_name_and_code(admin_client, ward):
    assert ward.code in admin_client.get("/admin/accounts/agency/", {"q": ward.name}).content.decode()
    assert ward.name in admin_client.get("/admin/accounts/agency/", {"q": ward.code}).content.decode()


def test_agency_code_is_editable_until_a_dossier_uses_it(admin_client, ward, birth_registration):
    url = f"/admin/accounts/agency/{ward.pk}/change/"
    assert 'name="code"' in admin_client.get(url).content.decode()
    factories.dossier(procedure=birth_registration, agency=ward)
    assert 'name="code"' not in admin_client.get(url).content.decode()


def test_agency_list_query_count_is_constant(admin_client, province, django_assert_max_num_queries):
    for _ in range(3):
        factories.agency(parent=province)
    with django_assert_max_num_queries(12) as captured:
        admin_client.get("/admin/accounts/agency/")
    baseline = len(captured.captured_queries)
    for _ in range(20):
        factories.user(role=Role.CLERK, agency=factories.agency(parent=province))
    with django_assert_max_num_queries(baseline):
        admin_client.get("/admin/accounts/agency/")
