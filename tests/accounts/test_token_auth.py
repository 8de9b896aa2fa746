"""API token authentication: DRF's answers, with the user's memberships read in the same query."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.authentication import TokenAuthentication
from accounts.models import Role
from accounts.scoping import memberships
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_token_brings_its_user_and_memberships_in_one_query(ward, province, django_assert_num_queries):
    user = factories.user(role=Role.CLERK, agency=ward)
    user.memberships.create(agency=province, role=Role.SUPERVISOR)
    key = Token.objects.create(user=user).key
    with django_assert_num_queries(1):
        found, token = TokenAuthentication().authenticate_credentials(key)
        assert memberships(found) == {(ward.pk, Role.CLERK), (province.pk, Role.SUPERVISOR)}
    assert (found.pk, found.username, found.full_name) == (user.pk, user.username, user.full_name)
    assert (token.key, token.user_id, token.created) == (key, user.pk, Token.objects.get(key=key).created)


def test_a_user_without_memberships_has_none(db):
    key = Token.objects.create(user=factories.user()).key
    user, _ = TokenAuthentication().authenticate_credentials(key)
    assert memberships(user) == frozenset()


@pytest.mark.parametrize("case", ["unknown", "inactive"])
def test_unknown_tokens_and_inactive_users_are_refused(ward, case):
    user = factories.user(role=Role.CLERK, agency=ward)
    key = Token.objects.create(user=user).key
    if case == "unknown":
        key = "0" * 40
    else:
        user.is_active = False
        user.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401
