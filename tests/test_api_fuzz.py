"""A bounded schemathesis run over the OpenAPI schema, signed in with a clerk's real token: whatever the
input the schema allows (and much it does not), the API never answers 5xx, and its answers (status, content
type, body) are the ones the schema documents."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from config.wsgi import application
from tests import factories
from tests.conftest_worker import media_root  # noqa: F401
from tests.dossiers.lifecycle import intake

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Small, so the whole run stays within a minute: a few examples per operation catch the crashes of a type
# or a range; a slow answer (over the deadline) is a finding too.
MAX_EXAMPLES = 6
DEADLINE_MS = 5000


# Read from the app itself at collection (drawing the schema touches no table).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The coverage phase (every boundary of every parameter) takes two minutes; `make test` runs the examples and
# the random phase, FUZZ_COVERAGE=1 adds it for a deeper run before a release.
schema.config.phases.coverage.enabled = os.environ.get("FUZZ_COVERAGE") == "1"


@pytest.fixture
def clerk_token(db, ward, birth_registration):
    clerk = factories.user(role=Role.CLERK, agency=ward, username="fuzz.clerk", password="fuzz-pass-2026")
    factories.user(role=Role.HANDLER, agency=ward)
    intake(clerk, ward, birth_registration)  # one dossier to find, act on and list
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "fuzz.clerk", "password": "fuzz-pass-2026"}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def clerk_headers(clerk_token):
    """Requests go straight to the WSGI app inside the test's transaction; as Django's test client does
    (which reconnects them after each of its requests, hence after the sign-in), the connection is not closed
    at the end of each request. Uncompressed answers, so their bodies can be read against the schema."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Token {clerk_token}", "Accept-Encoding": "identity"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("media_root")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=DEADLINE_MS,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_every_input_as_documented(case, clerk_headers):
    case.call_and_validate(headers=clerk_headers, checks=CHECKS)
