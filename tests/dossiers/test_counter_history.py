"""A counter intake creates and receives at once: its history starts from no status, and every reader of the
history (desk timeline, public timeline, Form 05 control sheet, statistics) copes with that."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dossiers.documents.forms.contexts import form_06
from dossiers.lifecycle.services import perform, submit_online
from dossiers.public.tracking import track
from dossiers.reporting import Period, summary
from tests import factories
from tests.dossiers.lifecycle import APPLICANT, MONDAY_9AM, intake

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10))


@pytest.fixture
def counter(clerk, handler, leader, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


@pytest.fixture
def online(clerk, ward, birth_registration):
    citizen = factories.user(role="citizen", agency=ward)
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = submit_online(
            applicant_user=citizen,
            agency=ward,
            procedure=birth_registration,
            applicant=APPLICANT,
            provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
        )
        return perform(d.code, "receive", clerk, {})


@pytest.mark.parametrize(("channel", "before"), [("counter", ""), ("online", "submitted")])
def test_the_receive_event_starts_from_no_status_only_at_the_counter(request, channel, before):
    d = request.getfixturevalue(channel)
    assert d.events.get(action="receive").from_status == before


def test_the_desk_timeline_shows_a_counter_receipt(client, clerk, counter):
    client.force_login(clerk)
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = client.get(f"/dossiers/{counter.code}/")
    assert response.status_code == 200
    (event, label, status, _clock), *_ = response.context["events"]
    assert (event.from_status, label, status) == ("", "Tiếp nhận", "Được tiếp nhận")


def test_the_public_timeline_and_form_06_show_a_counter_receipt(counter):
    assert track(counter.code, counter.tracking_pin).timeline[0].text == "Bộ phận Một cửa đã tiếp nhận hồ sơ"
    first = form_06(counter)["rows"][0]
    # the counter takes the dossier from the applicant, whatever status it came from (none here)
    assert (first["action"], first["from_unit"]) == ("Tiếp nhận hồ sơ", counter.applicant_name)


def test_statistics_count_both_kinds_of_receipt(counter, online, ward):
    row = summary({ward.id}, MARCH)
    assert row["received"] == 2
