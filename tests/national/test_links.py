"""Link health and the circuit breaker, against a real HTTP simulator."""

import time

import pytest
import requests

from dossiers.models import NationalLink
from dossiers.national import http, links
from seeds.simulators.base import Fields, Simulator
from tests.simulators import running, set_fault

pytestmark = pytest.mark.django_db


class Echo(Simulator):
    name = "echo"

    def __init__(self):
        super().__init__()
        self.routes[("POST", "/echo")] = self.echo

    def echo(self, request):
        f = Fields(request.body)
        value = f.text("MaHoSo", max_len=10)
        f.done()
        return 200, {"error_code": "00", "MaHoSo": value}


@pytest.fixture
def echo():
    with running(Echo()) as server:
        yield server


def row(name="population"):
    return NationalLink.objects.get(name=name)


def test_every_link_has_a_row_from_the_start():
    assert sorted(NationalLink.objects.values_list("name", flat=True)) == sorted(NationalLink.Name.values)


def test_a_working_call_records_success(echo):
    answer = http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"})
    assert (answer.status, answer.body["MaHoSo"]) == (200, "A1")
    link = row()
    assert link.last_success_at is not None and link.calls == 1 and link.failures == 0


def test_a_refused_payload_is_a_working_link_and_the_simulator_names_the_fault(echo):
    answer = http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "x" * 11})
    assert answer.status == 400 and answer.body["faults"] == ["MaHoSo: longer than 10"]
    assert row().failures == 0
    received = requests.get(f"{echo.url}/_sim/received", timeout=5).json()["received"]
    assert [r["status"] for r in received] == [400]


def test_errors_open_the_circuit_and_a_success_closes_it(echo, settings):
    settings.NATIONAL_BREAKER_FAILURES = 2
    settings.NATIONAL_BREAKER_SECONDS = 60
    set_fault(echo, "error", status=502)
    for _ in range(2):
        with pytest.raises(links.LinkError):
            http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"})
    assert links.is_open("population")
    set_fault(echo, "ok")
    with pytest.raises(links.LinkDown):  # not attempted while open
        http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"})
    assert row().calls == 2
    NationalLink.objects.filter(name="population").update(open_until=None)  # the cool-down has passed
    http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"})
    link = row()
    assert link.consecutive_failures == 0 and link.open_until is None and link.failures == 2


def test_a_slow_platform_is_cut_off_at_the_timeout(echo):
    set_fault(echo, "slow", seconds=2)
    started = time.monotonic()
    with pytest.raises(links.LinkError, match="Timeout"):
        http.call("population", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"}, timeout=0.3)
    assert time.monotonic() - started < 1.5
    assert "Timeout" in row().last_error


def test_garbage_and_no_server_are_failures(echo):
    set_fault(echo, "garbage")
    with pytest.raises(links.LinkError, match="not JSON"):
        http.call("emc", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"})
    echo.stop()
    with pytest.raises(links.LinkError, match="ConnectionError"):
        http.call("emc", "POST", f"{echo.url}/echo", json={"MaHoSo": "A1"}, timeout=0.5)
    assert row("emc").failures == 2
