"""Every event has a name in the reader's language, on the desk history, in the API and on the public
timeline: never its internal code (`result_issued`)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.labels import SYSTEM_EVENTS, event_label
from dossiers.lifecycle.workflow import ACTIONS
from dossiers.models import Status
from dossiers.public.tracking import track
from tests import factories
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

EVERY_EVENT = sorted(set(ACTIONS) | set(SYSTEM_EVENTS))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_event_has_a_label_that_is_not_its_code(language):
    with translation.override(language):
        for action in EVERY_EVENT:
            label = event_label(action)
            assert label and label != action and "_" not in label, action
        assert event_label("written_by_an_older_release") in ("Cập nhật hồ sơ", "Dossier updated")


@pytest.fixture
def history(ward, birth_registration, clerk):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    for action in ("result_issued", "result_failed", "document_attached", "written_by_an_older_release"):
        record_event(d, action, actor=clerk)
    return d


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_desk_history_shows_labels_never_codes(client, clerk, history, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(clerk)
    html = client.get(f"/dossiers/{history.code}/").content.decode()
    for code in ("result_issued", "result_failed", "document_attached", "written_by_an_older_release"):
        assert f"· {code}" not in html and f">{code}<" not in html
    assert ("Phát hành kết quả điện tử" if language == "vi" else "Electronic result issued") in html


def test_the_api_history_carries_the_label_in_the_readers_language(clerk, history):
    api = client_for(clerk)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = api.get(f"/api/v1/dossiers/{history.code}/history/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    labels = {r["action"]: r["label"] for r in rows}
    assert labels["result_issued"] == "Electronic result issued"
    assert labels["written_by_an_older_release"] == "Dossier updated"


def test_the_public_timeline_never_shows_a_code(ward, birth_registration, clerk):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    record_event(d, "written_by_an_older_release", actor=clerk, public=True)
    with translation.override("en"):
        entries = track(d.code, d.tracking_pin).timeline
    assert entries and all(e.text and "_" not in e.text for e in entries)
