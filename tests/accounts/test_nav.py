"""The navigation shows each role only the areas it can use."""

import pytest

from accounts.models import Role
from tests import factories

DESK, DASHBOARD, ADMIN = 'href="/desk/"', 'href="/dashboard/"', 'href="/admin/"'


@pytest.mark.parametrize(
    ("role", "staff", "shown", "hidden"),
    [
        (Role.CLERK, False, [DESK], [DASHBOARD, ADMIN]),
        (Role.HANDLER, False, [DESK], [DASHBOARD, ADMIN]),
        (Role.LEADER, False, [DESK], [DASHBOARD, ADMIN]),
        (Role.SUPERVISOR, False, [DASHBOARD], [DESK, ADMIN]),
        (Role.CITIZEN, False, [], [DESK, DASHBOARD, ADMIN]),
        (Role.ADMIN, True, [DASHBOARD, ADMIN], [DESK]),
    ],
)
def test_nav_links_by_role(client, ward, role, staff, shown, hidden):
    user = factories.user(role=role, agency=ward, is_staff=staff, is_superuser=staff)
    client.force_login(user)
    nav = client.get("/accounts/login/").content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert 'href="/tra-cuu/"' in nav
    for link in shown:
        assert link in nav
    for link in hidden:
        assert link not in nav


def test_anonymous_visitors_see_tracking_and_sign_in(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/tra-cuu/"' in html
    assert "Đăng xuất" not in html
    assert 'href="#main"' in html  # skip link for keyboard users
