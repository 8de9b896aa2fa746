"""Every write to a dossier goes through a service that records an audit event; HTTP layers only call them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config.errors import Conflict, InvalidInput
from dossiers.lifecycle import services
from dossiers.models import Dossier, Status
from tests import factories

HTTP_LAYERS = ("dossiers/views", "dossiers/api", "dossiers/public")
WRITE = re.compile(r"\.(save|delete|update|create|bulk_create|bulk_update|get_or_create|update_or_create)\(")
ROOT = Path(__file__).resolve().parents[2]


def test_the_http_layers_write_nothing_themselves():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for layer in HTTP_LAYERS
        for path in sorted((ROOT / layer).rglob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if WRITE.search(line) and "objects" in line or re.search(r"\b\w+\.save\(", line)
    ]
    assert found == []


def test_a_rating_is_written_by_the_service_with_its_audit_event(ward, birth_registration):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    services.rate_satisfaction(d.pk, "satisfied")
    assert Dossier.objects.get(pk=d.pk).satisfaction == "satisfied"
    event = d.events.get(action="rate")
    assert event.public and event.actor is None
    assert event.payload == {"satisfaction": "satisfied", "via": "tracking"}  # the PIN proved it


@pytest.mark.parametrize(
    ("status", "value", "error", "code"),
    [
        (Status.RETURNED, "delighted", InvalidInput, "invalid"),
        (Status.RESOLVED, "satisfied", Conflict, "not_returned"),
    ],
)
def test_a_refused_rating_writes_nothing(ward, birth_registration, status, value, error, code):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=status)
    with pytest.raises(error) as refused:
        services.rate_satisfaction(d.pk, value)
    assert refused.value.code == code
    assert Dossier.objects.get(pk=d.pk).satisfaction == "" and not d.events.exists()
