"""National-platform fixtures: each simulator on a free port, the product pointed at it, its push on."""

from __future__ import annotations

import pytest
import requests

from dossiers.models import NationalLink, OutboxMessage
from dossiers.notify import outbox
from seeds.simulators.dvcqg import DvcqgSimulator
from seeds.simulators.emc import EmcSimulator
from seeds.simulators.sms import SmsSimulator
from seeds.simulators.zalo import ZaloSimulator
from tests.national.population import population_sim  # noqa: F401
from tests.simulators import running


@pytest.fixture
def portal(settings):
    with running(DvcqgSimulator(demo=False)) as server:
        settings.DVCQG_URL = server.url
        settings.DVCQG_PUSH = True
        yield server


@pytest.fixture
def emc(settings):
    with running(EmcSimulator()) as server:
        settings.EMC_URL = server.url
        settings.EMC_PUSH = True
        yield server


@pytest.fixture
def zalo(settings):
    with running(ZaloSimulator()) as server:
        settings.ZALO_URL = server.url
        settings.ZALO_ENABLED = True
        yield server


@pytest.fixture
def sms_gateway(settings):
    with running(SmsSimulator()) as server:
        settings.SMS_BRANDNAME_URL = server.url
        settings.SMS_BACKEND = "dossiers.national.sms.BrandnameSmsBackend"
        yield server


def received(server) -> list[dict]:
    return requests.get(f"{server.url}/_sim/received", timeout=5).json()["received"]


def refused(server) -> list[dict]:
    return [r for r in received(server) if r["status"] >= 400]


def drain_until_settled(rounds: int = 20) -> dict[str, int]:
    """Drain, making every waiting message due again at once (no sleeping), until nothing is pending or
    `rounds` ran; returns the summed outcomes."""
    total: dict[str, int] = {}
    for _ in range(rounds):
        for k, v in outbox.drain().items():
            total[k] = total.get(k, 0) + v
        pending = OutboxMessage.objects.filter(status=OutboxMessage.State.PENDING)
        if not pending.exists():
            break
        pending.update(next_attempt_at=outbox.timezone.now(), claimed_until=None)
    return total


def close_circuits() -> None:
    """As if the breaker's cool-down had passed."""
    NationalLink.objects.update(open_until=None, consecutive_failures=0)
