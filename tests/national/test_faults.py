"""Faults of the national links: the portal stops mid-sync, answers past the timeout, or fails. Intake and the
desk keep their speed (the push waits in the outbox, never in the request), nothing is lost, and everything
arrives once the portal is back."""

from __future__ import annotations

import time

import pytest

from dossiers.lifecycle.services import perform
from dossiers.models import OutboxMessage
from dossiers.notify import outbox
from seeds.simulators.base import start
from tests.dossiers.lifecycle import intake
from tests.national.conftest import close_circuits, drain_until_settled, refused
from tests.simulators import set_fault

pytestmark = pytest.mark.django_db

# Intake and a desk page with every link down: no slower than this (a request that waited for a 3-second
# timeout, or for a dead port, could not pass).
QUICK = 1.0


def portal_messages():
    return OutboxMessage.objects.filter(channel__in=["dvcqg", "emc"])


def timed(fn):
    started = time.monotonic()
    value = fn()
    return value, time.monotonic() - started


def assert_all_delivered(portal, dossiers, statuses):
    held = portal.simulator.dossiers
    for d, status in zip(dossiers, statuses, strict=True):
        assert held[d.code]["TrangThaiHoSo"] == status
        history = held[d.code]["QuaTrinhXuLyHoSo"]
        assert len(history) == len({(h["ThoiDiemXuLy"], h["NoiDungXuLy"]) for h in history})  # each step once
    assert not portal_messages().exclude(status="sent").exists()
    assert refused(portal) == []


def desk_works(client, clerk, d):
    client.force_login(clerk)
    client.get(f"/dossiers/{d.code}/")  # the first page of a process compiles its templates
    response, seconds = timed(lambda: client.get(f"/dossiers/{d.code}/"))
    assert response.status_code == 200 and seconds < QUICK


def test_the_portal_stops_mid_sync_and_everything_arrives_when_it_is_back(
    portal, emc, settings, client, clerk, handler, ward, birth_registration
):
    settings.NATIONAL_TIMEOUT = 0.5
    synced = [intake(clerk, ward, birth_registration) for _ in range(2)]
    drain_until_settled()
    host, port = portal.server.server_address[:2]
    portal.stop()  # mid-sync: two dossiers there, the rest to come

    later = []
    for _ in range(3):
        d, seconds = timed(lambda: intake(clerk, ward, birth_registration))
        assert seconds < QUICK
        later.append(d)
    _, seconds = timed(lambda: perform(synced[0], "forward", clerk, {"to_user": handler.pk}))
    assert seconds < QUICK
    desk_works(client, clerk, later[0])
    outcome = outbox.drain()
    assert outcome["sent"] >= 1 and outcome.get("dead", 0) == 0  # EMC still answers; the portal's wait
    waiting = portal_messages().filter(channel="dvcqg").exclude(status="sent")
    assert waiting.count() == 7 and not waiting.filter(status="dead").exists()  # 3 x 2 new + 1 step, kept

    back = start(portal.simulator, host, port)  # the same portal, with what it held
    try:
        close_circuits()
        drain_until_settled()
        assert_all_delivered(back, synced + later, ["4", "2", "2", "2", "2"])
    finally:
        back.stop()


def test_a_portal_slower_than_the_timeout_costs_the_desk_nothing_and_loses_nothing(
    portal, settings, client, clerk, ward, birth_registration
):
    settings.NATIONAL_TIMEOUT = 0.3
    set_fault(portal, "slow", seconds=1.5)
    dossiers = []
    for _ in range(3):
        d, seconds = timed(lambda: intake(clerk, ward, birth_registration))
        assert seconds < QUICK
        dossiers.append(d)
    desk_works(client, clerk, dossiers[0])
    outcome, seconds = timed(outbox.drain)
    assert outcome["retry"] >= 1 and outcome.get("dead", 0) == 0
    assert seconds < 3 * 0.3 + 2  # cut at the timeout, then the breaker stops trying
    set_fault(portal, "ok")
    time.sleep(1.6)  # the requests the portal was still chewing on finish (they may have arrived)
    close_circuits()
    drain_until_settled()
    assert_all_delivered(portal, dossiers, ["2", "2", "2"])


def test_errors_dead_letter_after_the_attempts_and_a_retry_delivers_in_order(
    portal, settings, clerk, handler, ward, birth_registration
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.NATIONAL_BREAKER_FAILURES = 100
    set_fault(portal, "error", status=503)
    d = intake(clerk, ward, birth_registration)
    perform(d, "forward", clerk, {"to_user": handler.pk})
    drain_until_settled(rounds=4)
    messages = list(portal_messages().filter(dossier=d).order_by("id"))
    # The upsert failed twice and is dead; the two steps behind it waited without spending their attempts.
    assert [(m.status, m.attempts) for m in messages] == [("dead", 2), ("pending", 0), ("pending", 0)]
    set_fault(portal, "ok")
    assert outbox.retry([messages[0].pk]) == 1  # the admin's retry action
    drain_until_settled()
    assert_all_delivered(portal, [d], ["4"])
    paths = [r["path"].rsplit("/", 1)[1] for r in portal.simulator.received if r["status"] == 200]
    assert paths == ["DongBoHoSoMC", "CapNhatTienDoHoSoMC", "CapNhatTienDoHoSoMC"]


def test_zalo_down_keeps_the_citizens_message_until_it_is_back(
    zalo, settings, birth_registration, ward, clerk
):
    settings.NATIONAL_TIMEOUT = 0.3
    set_fault(zalo, "error", status=502)
    d = intake(clerk, ward, birth_registration)
    drain_until_settled(rounds=3)
    [row] = OutboxMessage.objects.filter(dossier=d, channel="zalo")
    assert row.status == "pending" and row.attempts >= 1
    set_fault(zalo, "ok")
    close_circuits()
    drain_until_settled()
    assert len(zalo.simulator.sent) == 1 and OutboxMessage.objects.get(pk=row.pk).status == "sent"
