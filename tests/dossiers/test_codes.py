"""Dossier codes: `{agency code}-{yyMMdd}-{NNNN}`, daily per agency, unique and gapless under concurrency."""

import threading

import pytest
import time_machine
from django.db import connection, transaction

from config.errors import Conflict
from dossiers.lifecycle.codes import MAX_DAILY_NUMBER, format_code, new_dossier_code, new_tracking_pin
from dossiers.models import DailySequence, Dossier
from tests import factories

from .lifecycle import (
    APPLICANT,
    MONDAY_9AM,
    intake,
    vn,
)


@pytest.mark.parametrize(
    ("day", "number", "code"),
    [
        (vn(2023, 10, 27).date(), 361, "000.00.06.H56-231027-0361"),
        (vn(2026, 1, 1).date(), 1, "000.00.06.H56-260101-0001"),
        (vn(2026, 12, 31).date(), 9999, "000.00.06.H56-261231-9999"),
    ],
)
def test_format(day, number, code):
    assert format_code("000.00.06.H56", day, number) == code


@pytest.mark.django_db
def test_the_sequence_restarts_each_day_and_per_agency(ward, province):
    other = factories.agency(parent=province)
    codes = [
        new_dossier_code(ward, vn(2026, 3, 2, 9)),
        new_dossier_code(ward, vn(2026, 3, 2, 23, 59)),
        new_dossier_code(other, vn(2026, 3, 2, 9)),
        new_dossier_code(ward, vn(2026, 3, 3, 0, 1)),
    ]
    assert [c[-11:] for c in codes] == ["260302-0001", "260302-0002", "260302-0001", "260303-0001"]


@pytest.mark.django_db
def test_the_day_is_the_local_day():
    from datetime import UTC, datetime

    ward = factories.agency(parent=factories.agency())
    # 2026-03-02 18:00 UTC is already 3 March in Viet Nam.
    assert new_dossier_code(ward, datetime(2026, 3, 2, 18, 0, tzinfo=UTC)).endswith("-260303-0001")


def test_pins_are_six_random_digits():
    pins = {new_tracking_pin() for _ in range(200)}
    assert all(len(p) == 6 and p.isdigit() for p in pins) and len(pins) > 150


@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_receiving_at_the_same_instant_get_unique_gapless_codes(
    flushable_event_log, ward, birth_registration
):
    clerks = [factories.user(role="clerk", agency=ward) for _ in range(20)]
    barrier, codes, errors = threading.Barrier(20), [], []

    def receive(clerk):
        try:
            barrier.wait()
            codes.append(intake(clerk, ward, birth_registration).code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(MONDAY_9AM, tick=False):
        threads = [threading.Thread(target=receive, args=(c,)) for c in clerks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert errors == []
    assert sorted(codes) == [f"{ward.code}-260302-{n:04d}" for n in range(1, 21)]
    assert Dossier.objects.count() == 20
    assert DailySequence.objects.get(agency=ward).last == 20


@pytest.mark.django_db
def test_a_rolled_back_intake_gives_its_number_back(ward):
    with pytest.raises(RuntimeError), transaction.atomic():
        new_dossier_code(ward, MONDAY_9AM)
        raise RuntimeError("the intake failed after taking a number")
    assert new_dossier_code(ward, MONDAY_9AM).endswith("-0001")


@pytest.mark.django_db
def test_a_failed_intake_gives_its_number_back(clerk, ward, birth_registration, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the audit log refused the event")

    with time_machine.travel(MONDAY_9AM, tick=False):
        with monkeypatch.context() as patched:
            patched.setattr("dossiers.lifecycle.intake.record_event", fail)
            with pytest.raises(RuntimeError):
                intake(clerk, ward, birth_registration)
        assert Dossier.objects.count() == 0
        assert intake(clerk, ward, birth_registration).code == f"{ward.code}-260302-0001"


@pytest.mark.django_db
def test_beyond_9999_a_day_the_agency_is_refused_rather_than_given_a_longer_code(ward):
    DailySequence.objects.create(agency=ward, day=MONDAY_9AM.date(), last=MAX_DAILY_NUMBER - 1)
    assert new_dossier_code(ward, MONDAY_9AM).endswith("-9999")
    with pytest.raises(Conflict) as refused, transaction.atomic():
        new_dossier_code(ward, MONDAY_9AM)
    assert refused.value.code == "daily_sequence_exhausted"
    assert "9999" in refused.value.vi and "9999" in refused.value.en
    assert DailySequence.objects.get(agency=ward).last == MAX_DAILY_NUMBER


@pytest.mark.django_db
def test_every_message_of_the_intake_shows_the_code(clerk, ward, birth_registration):
    from dossiers.models import OutboxMessage, WebhookSubscription

    WebhookSubscription.objects.create(name="Cổng DVC", url="http://127.0.0.1:9/", secret="s")
    first, second = birth_registration.requirements.all()
    with time_machine.travel(MONDAY_9AM, tick=False):
        dossier = intake(
            clerk,
            ward,
            birth_registration,
            applicant={**APPLICANT, "email": "binh@example.vn"},
            provided=[first.pk],
            missing=[{"requirement_id": second.pk, "reason": "Thiếu bản chính"}],
        )
    code = f"{ward.code}-260302-0001"
    assert dossier.code == code and Dossier.objects.get(pk=dossier.pk).code == code
    assert dossier.current_step is not None
    assert Dossier.objects.filter(pk=dossier.pk, current_step=dossier.current_step, assignee=clerk).exists()
    messages = list(OutboxMessage.objects.filter(dossier=dossier))
    # receipt and supplement request by email and SMS, and a webhook for each event
    assert sorted(m.channel for m in messages) == ["email", "email", "sms", "sms", "webhook", "webhook"]
    for m in messages:
        assert code in (m.subject if m.channel != "webhook" else m.payload["dossier"]["code"])
    assert all(code in m.body for m in messages if m.channel == "email")


def test_the_code_column_holds_the_longest_code_exactly():
    from accounts.models import Agency

    longest = format_code("9" * Agency._meta.get_field("code").max_length, vn(2026, 12, 31).date(), 9999)
    assert len(longest) == Dossier._meta.get_field("code").max_length == 25
