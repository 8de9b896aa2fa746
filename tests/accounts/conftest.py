"""The local VNeID provider for the citizen sign-in tests: one well-behaved instance for the session, and
misbehaving ones (VNEID_FAULT) started the first time a test asks for them."""

from contextlib import ExitStack

import pytest

from tests.vneid import running_provider


@pytest.fixture(scope="session")
def vneid():
    with running_provider() as provider:
        yield provider


@pytest.fixture(scope="session")
def faulty_vneid():
    started = {}
    with ExitStack() as stack:

        def instance(fault: str):
            if fault not in started:
                started[fault] = stack.enter_context(running_provider(fault=fault))
            return started[fault]

        yield instance


def point_at(settings, provider):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.CITIZEN_HOME_URL = "/tra-cuu/"  # the citizen portal's own address is not part of this


@pytest.fixture
def use_vneid(settings, vneid, db):
    point_at(settings, vneid)
    return vneid


@pytest.fixture
def use_faulty_vneid(settings, faulty_vneid, db):
    def use(fault: str):
        provider = faulty_vneid(fault)
        point_at(settings, provider)
        return provider

    return use
