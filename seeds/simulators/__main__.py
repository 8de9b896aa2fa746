"""`python -m seeds.simulators [name ...]`: serve the national-platform simulators until interrupted.

Each listens on its `default_port`, or on SIM_<NAME>_PORT from the environment."""

from __future__ import annotations

import importlib
import os
import pkgutil
import signal
import sys
import threading

from seeds import simulators
from seeds.simulators.base import Simulator, start


def discover() -> dict[str, type[Simulator]]:
    found = {}
    for info in pkgutil.iter_modules(simulators.__path__):
        if info.name in ("base", "__main__") or info.ispkg:
            continue
        module = importlib.import_module(f"seeds.simulators.{info.name}")
        sim = getattr(module, "SIMULATOR", None)
        if isinstance(sim, type) and issubclass(sim, Simulator):
            found[sim.name] = sim
    return found


def main(names: list[str]) -> int:
    available = discover()
    unknown = [n for n in names if n not in available]
    if unknown:
        print(
            f"unknown simulators: {', '.join(unknown)}; known: {', '.join(sorted(available))}",
            file=sys.stderr,
        )
        return 2
    host = os.environ.get("SIM_HOST", "127.0.0.1")
    running = []
    for name in names or sorted(available):
        sim = available[name]()
        port = int(os.environ.get(f"SIM_{name.upper()}_PORT", sim.default_port))
        running.append(start(sim, host, port))
        print(f"simulator {name}: {running[-1].url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    for r in running:
        r.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
