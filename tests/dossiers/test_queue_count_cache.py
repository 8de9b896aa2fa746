"""The desk's tab counts kept in the cache: read again until a dossier of the user's agencies changes through
an audited write, never across users, and the queue page then counts nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.ratelimit import forget_prefix
from dossiers.lifecycle import services
from dossiers.models import Status
from dossiers.selectors.count_cache import COUNTS_PREFIX, VERSION_PREFIX
from dossiers.selectors.queues import queues_for, tab_counts
from tests import factories
from tests.dossiers.lifecycle import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def counts_cached(settings):
    settings.DESK_COUNTS_CACHE_SECONDS = 30
    forget_prefix(COUNTS_PREFIX)
    forget_prefix(VERSION_PREFIX)
    yield
    forget_prefix(COUNTS_PREFIX)
    forget_prefix(VERSION_PREFIX)


def _in_progress(user):
    return tab_counts(user, queues_for(user))["in_progress"]


def test_counts_are_read_again_until_a_dossier_changes(clerk, ward, birth_registration):
    intake(clerk, ward, birth_registration)
    assert _in_progress(clerk) == 1
    factories.dossier(procedure=birth_registration, agency=ward)  # written around the services

    assert _in_progress(clerk) == 1  # the cached count: nothing audited happened
    intake(clerk, ward, birth_registration)  # an audited write gives the ward a new version
    assert _in_progress(clerk) == 3


def test_a_change_elsewhere_keeps_the_cached_counts(clerk, ward, province, birth_registration):
    elsewhere = factories.agency(parent=province)
    other_clerk = factories.user(role="clerk", agency=elsewhere)
    assert _in_progress(clerk) == 0
    factories.dossier(procedure=birth_registration, agency=ward)
    intake(other_clerk, elsewhere, birth_registration)

    assert _in_progress(clerk) == 0


def test_every_user_has_counts_of_their_own(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    other = factories.user(role="clerk", agency=ward)

    assert tab_counts(clerk, queues_for(clerk))["mine"] == 1
    assert tab_counts(other, queues_for(other))["mine"] == 0
    services.perform(d.code, "withdraw", clerk, {"reason": "Người nộp xin rút"})
    assert tab_counts(clerk, queues_for(clerk))["mine"] == 0


def test_a_cached_page_counts_nothing(client, clerk, ward, birth_registration):
    for _ in range(3):
        factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    client.force_login(clerk)
    client.get("/desk/q/in_progress/")

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/desk/q/in_progress/").content.decode()

    assert 'data-count="in_progress">3<' in page and page.count('href="/dossiers/') == 3
    dossier_counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in dossier_counts if '"dossiers_dossier"' in sql]


def test_without_the_cache_every_page_counts(client, clerk, ward, birth_registration, settings):
    settings.DESK_COUNTS_CACHE_SECONDS = 0
    client.force_login(clerk)
    client.get("/desk/q/in_progress/")
    factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)

    assert 'data-count="in_progress">1<' in client.get("/desk/q/in_progress/").content.decode()
