"""Fixtures for the population database tests: the simulator over HTTP, and a cache with no earlier answer."""

from __future__ import annotations

import pytest
import requests
from django.core.cache import cache

from seeds.citizens import CITIZENS
from seeds.simulators.population import PopulationSimulator
from tests.simulators import running

UNKNOWN_ID = "001099999999"


def forget_lookups() -> None:
    cache.delete_many([f"population:{c.id_number}" for c in CITIZENS] + [f"population:{UNKNOWN_ID}"])


@pytest.fixture
def population_sim(settings):
    forget_lookups()
    settings.NATIONAL_BREAKER_FAILURES = 2
    settings.NATIONAL_BREAKER_SECONDS = 60
    with running(PopulationSimulator()) as server:
        settings.POPULATION_URL = server.url
        yield server
    forget_lookups()


def received(server) -> list[dict]:
    return requests.get(f"{server.url}/_sim/received", timeout=5).json()["received"]
