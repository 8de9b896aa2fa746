"""Zalo ZNS and SMS brandname: one message per person, dossier and event, within 400 characters."""

from __future__ import annotations

import pytest
import requests
from django.core.exceptions import ValidationError

from dossiers.lifecycle.events import record_event
from dossiers.models import OutboxMessage, Status
from dossiers.models.citizen_messages import MESSAGE_MAX_CHARS, check_template, longest_filling
from dossiers.national import sms
from dossiers.national.citizen_messages import load_rules
from dossiers.national.dvcqg_client import Refused
from dossiers.notify import on_event
from tests import factories
from tests.national.conftest import drain_until_settled, refused

pytestmark = pytest.mark.django_db

KINDS = ["receipt", "supplement_request", "apology", "result_ready", "supplement_expired"]


@pytest.fixture
def dossier(birth_registration, ward):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


def phone_rows(d):
    return list(OutboxMessage.objects.filter(dossier=d, channel__in=["zalo", "sms"]))


def test_every_event_has_a_rule_whose_texts_fit_when_filled_to_the_longest():
    rules = load_rules()
    assert sorted(rules) == sorted(KINDS)
    for rule in rules.values():
        for text in (rule.zalo_template, rule.sms_template):
            assert check_template(text) == "" and len(longest_filling(text)) <= MESSAGE_MAX_CHARS


def test_an_operator_cannot_save_a_template_that_could_pass_400_characters_or_names_an_unknown_field():
    rule = load_rules()["receipt"]
    rule.sms_template = "x" * 380 + " {url}"
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "sms_template" in error.value.message_dict
    rule.sms_template = "Hồ sơ {ma_ho_so}"
    with pytest.raises(ValidationError):
        rule.full_clean()


def test_a_receipt_goes_by_zalo_once_with_its_template(zalo, sms_gateway, dossier, clerk):
    record_event(dossier, "receive", actor=clerk)
    [row] = phone_rows(dossier)
    assert row.channel == "zalo" and row.payload["template_id"] == "ZNS_TIEPNHAN"
    drain_until_settled()
    [sent] = zalo.simulator.sent
    assert sent["phone"] == "84912345678" and dossier.code in sent["text"] and len(sent["text"]) <= 400
    assert sms_gateway.simulator.sent == [] and refused(zalo) == []


def test_a_phone_without_zalo_gets_the_sms_instead_and_only_that(zalo, sms_gateway, dossier, clerk):
    requests.post(f"{zalo.url}/_sim/no-zalo", json={"phones": ["84912345678"]}, timeout=5)
    record_event(dossier, "receive", actor=clerk)
    drain_until_settled()
    assert zalo.simulator.sent == []
    [text] = [m["message"] for m in sms_gateway.simulator.sent]
    assert text.startswith(f"{dossier.receiving_agency.name}: da tiep nhan ho so {dossier.code}")
    assert refused(sms_gateway) == []


def test_the_same_event_never_queues_a_second_message_for_the_person(zalo, dossier, clerk):
    event = record_event(dossier, "receive", actor=clerk)
    on_event(event)  # written again, as a replayed transaction would
    assert len(phone_rows(dossier)) == 1
    drain_until_settled()
    drain_until_settled()
    assert len(zalo.simulator.sent) == 1


def test_two_supplement_requests_are_two_events_and_two_messages(zalo, dossier, clerk):
    record_event(dossier, "request_supplement", actor=clerk)
    record_event(dossier, "request_supplement", actor=clerk)
    assert len(phone_rows(dossier)) == 2


@pytest.mark.parametrize(
    ("zalo_on", "sms_on", "channels"),
    [(True, True, ["zalo"]), (False, True, ["sms"]), (True, False, ["zalo"]), (False, False, [])],
)
def test_the_operators_switches_choose_the_channel(zalo, dossier, clerk, zalo_on, sms_on, channels):
    rule = load_rules()["result_ready"]
    rule.zalo_enabled, rule.sms_enabled = zalo_on, sms_on
    rule.save()  # as the operator does in the admin
    record_event(dossier, "resolve", actor=clerk)
    assert [m.channel for m in phone_rows(dossier)] == channels
    assert OutboxMessage.objects.filter(dossier=dossier, channel="email").count() == 0  # no address given


def test_zalo_off_and_sms_off_in_the_settings_leave_only_the_sms(settings, dossier, clerk):
    settings.ZALO_ENABLED = False
    record_event(dossier, "receive", actor=clerk)
    [row] = phone_rows(dossier)
    assert row.channel == "sms" and len(row.body) <= 400


def test_long_vietnamese_names_are_cut_to_fit_and_the_platform_accepts_them(
    zalo, birth_registration, ward, clerk
):
    d = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RECEIVED,
        applicant_name=("Nguyễn Thị Phương Thảo Hoàng Ngọc Bích Trâm " * 6)[:255],
    )
    record_event(d, "apologize", actor=clerk)
    drain_until_settled()
    assert len(zalo.simulator.sent) == 1 and refused(zalo) == []


def test_the_brandname_gateway_gets_at_most_400_characters_and_refuses_more(sms_gateway):
    sms.send_text("0912345678", "Thông báo " * 100)
    assert len(sms_gateway.simulator.sent[0]["message"]) == 400
    answer = requests.post(
        f"{sms_gateway.url}/api/sms/send",
        json={"brandname": "MOTCUA", "phone": "84912345678", "message": "x" * 401, "request_id": "r1"},
        headers={"Authorization": "Bearer sms-dev-token"},
        timeout=5,
    )
    assert answer.status_code == 400 and answer.json()["faults"] == ["message: longer than 400"]


def test_a_refused_sms_raises_so_the_outbox_retries(sms_gateway, settings):
    settings.SMS_BRANDNAME = "TÊN QUÁ DÀI CHO BRANDNAME"
    with pytest.raises(Refused):
        sms.send_text("0912345678", "Xin chào")
