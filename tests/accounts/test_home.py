"""`/` sends each user to the screen of their role."""

import pytest

from accounts.models import Role
from tests import factories


@pytest.mark.parametrize(
    ("roles", "superuser", "target"),
    [
        ([Role.CLERK], False, "/desk/"),
        ([Role.HANDLER], False, "/desk/"),
        ([Role.LEADER], False, "/desk/"),
        ([Role.SUPERVISOR], False, "/dashboard/"),
        ([Role.SUPERVISOR, Role.LEADER], False, "/desk/"),
        ([Role.CITIZEN], False, "/cong-dan/"),
        ([], False, "/cong-dan/"),
        ([Role.ADMIN], True, "/dashboard/"),
    ],
)
def test_home_redirects_by_role(client, ward, roles, superuser, target):
    user = factories.user(is_superuser=superuser, is_staff=superuser)
    for role in roles:
        user.memberships.create(agency=ward, role=role)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_home_sends_anonymous_visitors_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
