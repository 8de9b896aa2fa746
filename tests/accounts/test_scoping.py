"""Which agencies a user sees: his own as staff, his own and those below as supervisor."""

import pytest

from accounts.models import Role
from accounts.scoping import agency_ids_with_role, has_role, roles_of, visible_agency_ids
from tests import factories


@pytest.fixture
def tree(province, ward):
    """A province with two wards, and a second province with one ward."""
    other_ward = factories.agency(parent=province, name="Phường Thử Hai")
    other_province = factories.agency(name="Tỉnh Khác")
    far_ward = factories.agency(parent=other_province, name="Xã Xa")
    return {
        "province": province,
        "ward": ward,
        "other_ward": other_ward,
        "other_province": other_province,
        "far_ward": far_ward,
    }


def ids(tree, *names):
    return {tree[n].pk for n in names}


@pytest.mark.parametrize(
    ("role", "at", "sees"),
    [
        (Role.CLERK, "ward", ["ward"]),
        (Role.HANDLER, "ward", ["ward"]),
        (Role.LEADER, "ward", ["ward"]),
        (Role.SUPERVISOR, "ward", ["ward"]),
        (Role.SUPERVISOR, "province", ["province", "ward", "other_ward"]),
        (Role.ADMIN, "province", ["province", "ward", "other_ward"]),
        (Role.CITIZEN, "ward", []),
    ],
)
def test_visible_agencies_by_role(tree, role, at, sees):
    user = factories.user(role=role, agency=tree[at])
    assert visible_agency_ids(user) == ids(tree, *sees)


def test_a_clerk_of_two_wards_sees_both_and_nothing_else(tree):
    user = factories.user(role=Role.CLERK, agency=tree["ward"])
    user.memberships.create(agency=tree["far_ward"], role=Role.CLERK)
    assert visible_agency_ids(user) == ids(tree, "ward", "far_ward")


def test_a_superuser_sees_every_agency(tree):
    user = factories.user(is_superuser=True)
    assert visible_agency_ids(user) >= ids(tree, *tree)


def test_anonymous_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert visible_agency_ids(anonymous) == set()
    assert roles_of(anonymous) == set()
    assert not has_role(anonymous, Role.CLERK)


def test_role_helpers(tree):
    user = factories.user(role=Role.HANDLER, agency=tree["ward"])
    user.memberships.create(agency=tree["province"], role=Role.SUPERVISOR)
    assert roles_of(user) == {"handler", "supervisor"}
    assert has_role(user, Role.HANDLER, tree["ward"].pk)
    assert not has_role(user, Role.HANDLER, tree["other_ward"].pk)
    assert agency_ids_with_role(user, [Role.SUPERVISOR]) == ids(tree, "province")


def test_province_scope_costs_one_query_per_level(tree, django_assert_num_queries):
    user = factories.user(role=Role.SUPERVISOR, agency=tree["province"])
    for _ in range(10):
        factories.agency(parent=tree["province"])
    # memberships, children of the province, children of the wards (none): constant in the number of wards
    with django_assert_num_queries(3):
        assert len(visible_agency_ids(user)) == 13
