"""A small base for JSON HTTP simulators, with the faults the tests need.

A simulator answers `routes` ((method, path) → handler(request) → (status, body)); bad input gets a 400
with the list of faults, so a test can prove the product never sends a malformed payload (every request and
its answer is kept in `received`). Besides its own routes, every simulator answers:
    POST /_sim/fault   {"mode": "ok" | "slow" | "error" | "garbage", "seconds": 5, "status": 503}
    GET  /_sim/received    the requests so far (newest last)
    POST /_sim/reset       forget them and go back to "ok"
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    raw: bytes
    body: Any = None  # the parsed JSON, or None


class Invalid(Exception):
    """Raised by a handler (or by Fields) to answer 400 with these faults."""

    def __init__(self, faults: list[str]):
        super().__init__("; ".join(faults))
        self.faults = faults


class Fields:
    """Collects faults while a handler reads a JSON object:
    `f = Fields(req.body); f.text("MaHoSo", max_len=50)`; `f.done()` raises Invalid if any field was wrong."""

    def __init__(self, body: Any, prefix: str = ""):
        self.body = body if isinstance(body, dict) else {}
        self.prefix = prefix
        self.faults: list[str] = [] if isinstance(body, dict) else [f"{prefix or 'body'}: not a JSON object"]

    def _fault(self, name: str, text: str) -> None:
        self.faults.append(f"{self.prefix}{name}: {text}")

    def text(
        self,
        name: str,
        *,
        required: bool = True,
        max_len: int | None = None,
        pattern: str | None = None,
        choices: tuple | None = None,
    ) -> str | None:
        value = self.body.get(name)
        if value is None or value == "":
            if required:
                self._fault(name, "required")
            return None
        if not isinstance(value, str):
            self._fault(name, "must be a string")
            return None
        if max_len is not None and len(value) > max_len:
            self._fault(name, f"longer than {max_len}")
        if pattern is not None and not re.fullmatch(pattern, value):
            self._fault(name, f"does not match {pattern}")
        if choices is not None and value not in choices:
            self._fault(name, f"not one of {choices}")
        return value

    def number(
        self, name: str, *, required: bool = True, minimum: float | None = None, integer: bool = True
    ) -> float | int | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self._fault(name, "required")
            return None
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            self._fault(name, "must be an integer" if integer else "must be a number")
            return None
        if minimum is not None and value < minimum:
            self._fault(name, f"less than {minimum}")
        return value

    def flag(self, name: str, *, required: bool = True, values: tuple = (0, 1)) -> Any:
        value = self.body.get(name)
        if value is None:
            if required:
                self._fault(name, "required")
            return None
        if isinstance(value, bool) or value not in values:
            self._fault(name, f"not one of {values}")
        return value

    def items(self, name: str, *, required: bool = True) -> list:
        value = self.body.get(name)
        if value is None:
            if required:
                self._fault(name, "required")
            return []
        if not isinstance(value, list):
            self._fault(name, "must be a list")
            return []
        return value

    def unknown(self, allowed: set[str]) -> None:
        for name in sorted(set(self.body) - allowed):
            self._fault(name, "unknown field")

    def merge(self, other: Fields) -> None:
        self.faults.extend(other.faults)

    def done(self) -> None:
        if self.faults:
            raise Invalid(self.faults)


Handler = Callable[[Request], tuple[int, Any]]


@dataclass
class Fault:
    mode: str = "ok"
    seconds: float = 0.0
    status: int = 503


class Simulator:
    """Subclass: set `name`, `default_port` and fill `routes` in __init__ (call super().__init__())."""

    name = "simulator"
    default_port = 0

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.received: list[dict] = []
        self.fault = Fault()
        self.lock = threading.Lock()

    # Overridable: simulators with path parameters match here.
    def route(self, method: str, path: str) -> Handler | None:
        return self.routes.get((method, path))

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.fault = Fault()

    def dispatch(self, request: Request) -> tuple[int, Any, bytes | None]:
        """(status, JSON body, raw bytes to send instead of JSON)."""
        if request.path == "/_sim/fault" and request.method == "POST":
            body = request.body if isinstance(request.body, dict) else {}
            self.fault = Fault(
                mode=str(body.get("mode", "ok")),
                seconds=float(body.get("seconds", 0)),
                status=int(body.get("status", 503)),
            )
            return 200, {"mode": self.fault.mode}, None
        if request.path == "/_sim/received":
            with self.lock:
                return 200, {"received": list(self.received)}, None
        if request.path == "/_sim/reset" and request.method == "POST":
            self.reset()
            return 200, {"ok": True}, None
        fault = self.fault
        if fault.mode == "slow":
            time.sleep(fault.seconds)
        if fault.mode == "error":
            return fault.status, {"error": "simulated failure"}, None
        if fault.mode == "garbage":
            return 200, None, b"<html>gateway</html>"
        handler = self.route(request.method, request.path)
        if handler is None:
            return 404, {"error": f"no route {request.method} {request.path}"}, None
        if request.body is None and request.method in ("POST", "PUT") and request.raw:
            status, answer = 400, {"error": "invalid", "faults": ["body: not JSON"]}
        else:
            try:
                status, answer = handler(request)
            except Invalid as exc:
                status, answer = 400, {"error": "invalid", "faults": exc.faults}
        with self.lock:
            self.received.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query,
                    "body": request.body,
                    "status": status,
                    "answer": answer,
                }
            )
        return status, answer, None


def _handler_class(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class JsonHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: the tests and the demo read `received`
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            request = Request(
                method=self.command,
                path=parts.path,
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                raw=raw,
                body=body,
            )
            status, answer, rawout = sim.dispatch(request)
            data = rawout if rawout is not None else json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if rawout is not None else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return JsonHandler


@dataclass
class Running:
    simulator: Simulator
    server: ThreadingHTTPServer
    thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(sim: Simulator, host: str = "127.0.0.1", port: int | None = None) -> Running:
    """Serve `sim` in a background thread (port 0: any free port); `.stop()` ends it."""
    server = ThreadingHTTPServer((host, sim.default_port if port is None else port), _handler_class(sim))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"sim-{sim.name}", daemon=True)
    thread.start()
    return Running(sim, server, thread)
