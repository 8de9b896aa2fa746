"""Simulators of the national platforms for tests: a real server on a free port, stopped afterwards."""

from __future__ import annotations

from contextlib import contextmanager

import requests

from seeds.simulators.base import Running, Simulator, start


@contextmanager
def running(sim: Simulator):
    """`with running(PopulationSimulator()) as sim: settings.X_URL = sim.url ...`"""
    server: Running = start(sim, port=0)
    try:
        yield server
    finally:
        server.stop()


def set_fault(server: Running, mode: str, **kw) -> None:
    """The same control the demo's operator could use over HTTP (POST /_sim/fault)."""
    requests.post(f"{server.url}/_sim/fault", json={"mode": mode, **kw}, timeout=5).raise_for_status()
