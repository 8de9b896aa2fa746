"""Receiving a supplement: the form lists only what was asked for, the service accepts only that, and the
dossier page shows the open request (what, why, by whom, by when)."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings

from config.errors import InvalidInput
from dossiers.lifecycle.services import perform
from dossiers.lifecycle.supplements import open_request
from dossiers.models import Dossier, Status
from procedures.calendar import local
from tests.dossiers.lifecycle import MONDAY_9AM, intake, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(clerk, handler, leader, ward, birth_registration):
    """Received Monday 09:00; at 10:00 the clerk asks for one listed component and one free item."""
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = intake(clerk, ward, birth_registration)
    first = birth_registration.requirements.order_by("order").first()
    missing = [
        {"requirement_id": first.pk, "reason": "Ảnh mờ, không đọc được"},
        {"name": "Bản sao sổ hộ khẩu", "reason": "Cần đối chiếu nơi cư trú"},
    ]
    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        perform(d.code, "request_supplement", clerk, {"missing": missing, "note": "Liên hệ quầy số 2"})
    return Dossier.objects.get(pk=d.pk), first


def test_the_open_request_is_read_once_for_everyone(asked):
    d, first = asked
    request = open_request(d)
    assert [i["name"] for i in request.items] == [first.name, "Bản sao sổ hộ khẩu"]
    assert request.requirement_ids == {first.pk}
    assert request.note == "Liên hệ quầy số 2" and request.due_at == d.supplement_due_at


def test_the_receive_form_lists_only_what_was_asked(client, clerk, asked, birth_registration):
    d, first = asked
    others = [r for r in birth_registration.requirements.all() if r.pk != first.pk]
    assert others, "the procedure has more components than the one asked for"
    client.force_login(clerk)
    response = client.get(f"/dossiers/{d.code}/actions/supplement/")
    form = response.context["form"]
    assert [value for value, _ in form.fields["provided_requirement_ids"].choices] == [str(first.pk)]
    html = response.content.decode()
    assert "Bản sao sổ hộ khẩu" in html and "Cần đối chiếu nơi cư trú" in html
    assert all(f'value="{r.pk}"' not in html for r in others)


def test_the_service_refuses_a_component_that_was_not_asked_for(clerk, asked, birth_registration):
    d, first = asked
    other = birth_registration.requirements.exclude(pk=first.pk).first()
    with pytest.raises(InvalidInput) as refused:
        perform(d.code, "supplement", clerk, {"provided_requirement_ids": [other.pk]})
    assert "provided_requirement_ids" in refused.value.fields
    assert Dossier.objects.get(pk=d.pk).status == Status.SUPPLEMENT_REQUESTED
    done = perform(d.code, "supplement", clerk, {"provided_requirement_ids": [first.pk]})
    assert done.status != Status.SUPPLEMENT_REQUESTED and open_request(done) is None


def test_the_dossier_page_shows_the_request(client, clerk, handler, asked):
    d, first = asked
    for user in (clerk, handler):
        client.force_login(user)
        html = client.get(f"/dossiers/{d.code}/").content.decode()
        assert "Đã yêu cầu bổ sung" in html
        assert "Ảnh mờ, không đọc được" in html and "Bản sao sổ hộ khẩu" in html
        assert f"hạn {local(d.supplement_due_at):%d/%m/%Y}" in html


def test_the_page_in_english_shows_the_request_in_english(client, clerk, asked):
    d, _ = asked
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Supplement requested" in html
