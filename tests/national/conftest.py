"""Fixtures of the national-link tests."""

from tests.national.population import population_sim  # noqa: F401
