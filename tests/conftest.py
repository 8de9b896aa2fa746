"""Shared fixtures: a province with one ward and its staff."""

import pytest

from accounts.lockout import PREFIX as SIGN_IN_COUNTERS
from accounts.models import Role
from config.ratelimit import forget_prefix

from . import factories


@pytest.fixture(autouse=True)
def fresh_sign_in_counters():
    """Failed sign-ins are counted in Redis, outside the test's transaction and kept across runs with the same
    CACHE_PREFIX; every test starts with none, so tests that sign in often are never locked out."""
    forget_prefix(SIGN_IN_COUNTERS)


@pytest.fixture
def province(db):
    return factories.agency(name="Tỉnh Thử", code="000.00.00.T01")


@pytest.fixture
def ward(province):
    return factories.agency(parent=province, name="Phường Thử Nhất")


@pytest.fixture
def clerk(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="clerk")


@pytest.fixture
def handler(ward):
    return factories.user(role=Role.HANDLER, agency=ward, username="handler")


@pytest.fixture
def leader(ward):
    return factories.user(role=Role.LEADER, agency=ward, username="leader")


@pytest.fixture
def supervisor(ward):
    return factories.user(role=Role.SUPERVISOR, agency=ward, username="supervisor")


@pytest.fixture
def birth_registration(db):
    return factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
