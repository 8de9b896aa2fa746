"""Load-test plumbing: a bench database, a gunicorn server and wrk runs parsed into figures."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/onestop_bench")
GUNICORN = Path(sys.executable).with_name("gunicorn")

WRK_SCRIPT = """
local paths = {}
local method, body, ctype = "GET", nil, nil
init = function(args)
  for line in io.lines(args[1]) do table.insert(paths, line) end
  if args[2] then method = "POST"; body = args[2]; ctype = "application/json" end
end
request = function()
  local p = paths[math.random(#paths)]
  if method == "POST" then
    -- a headers table given to wrk.format replaces wrk.headers (-H and Host), so extend a copy
    local headers = {}
    for k, v in pairs(wrk.headers) do headers[k] = v end
    headers["Content-Type"] = ctype
    return wrk.format("POST", p, headers, body)
  end
  return wrk.format("GET", p)
end
"""


def bench_env(**extra: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": BENCH_DATABASE_URL,
            "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
            "DEBUG": "false",
            # The product refuses DEBUG=false with the development key or any host; gunicorn here speaks
            # plain http on 127.0.0.1, so no redirect to https.
            "SECRET_KEY": "bench-only-7Qm2vK9xR4tLp8Wz3Nc6Hd1Fj5Gs0Ya-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PAYMENT_SECRET": "bench-only-payment-secret",
            "SECURE_SSL_REDIRECT": "false",
            "CACHE_PREFIX": "bench-" + BENCH_DATABASE_URL.rsplit("/", 1)[1],  # cached counts: per database
            "CELERY_QUEUE": "bench",
            "PYTHONWARNINGS": "ignore",
            **extra,
        }
    )
    return env


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def sql(query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(BENCH_DATABASE_URL, autocommit=True) as conn:
        cur = conn.execute(query, params)
        return cur.fetchall() if cur.description else []


def recreate_database() -> None:
    name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    admin_url = BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def dossier_count() -> int:
    try:
        return sql("SELECT count(*) FROM dossiers_dossier")[0][0]
    except psycopg.Error:
        return -1


def prepare_rows(rows: int, log=print) -> None:
    """Make the bench database hold `rows` generated dossiers (regenerated when the count is off by > 1 %)."""
    held = dossier_count()
    # The intake benchmark adds a few thousand dossiers per run; that does not change what is measured.
    if rows <= held <= rows * 1.01:
        log(f"bench database already holds {held:,} dossiers")
        manage("migrate", "--noinput", "-v", "0")  # indexes added since it was generated
        return
    recreate_database()
    manage("migrate", "--noinput", "-v", "0")
    manage("import_procedures", str(ROOT / "seeds" / "procedures.csv"))
    started = time.perf_counter()
    manage("generate_dossiers", "--count", str(rows), "--seed", "7")
    log(f"generated {rows:,} dossiers in {time.perf_counter() - started:.0f} s")
    sql("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2 * (os.cpu_count() or 1) + 1, **env: str):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=bench_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited: {proc.stderr.read()[-2000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * _UNITS[unit]


def wrk(
    base: str,
    paths: list[str],
    *,
    seconds: int,
    connections: int = 8,
    headers: dict | None = None,
    post_body: str | None = None,
) -> dict:
    """Run wrk against random paths from the list; return req/s, p50/p99 latency (ms) and error counts."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (make setup installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "paths.lua")
        script.write_text(WRK_SCRIPT)
        listing = Path(tmp, "paths.txt")
        listing.write_text("\n".join(paths) + "\n")
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
        for name, value in (headers or {}).items():
            cmd += ["-H", f"{name}: {value}"]
        cmd += [base, "--", str(listing)] + ([post_body] if post_body else [])
        out = subprocess.run(cmd, check=True, text=True, capture_output=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+(?:us|ms|s))\s*$", out, re.M))
    if len(latency) < 2:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "requests": total,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def page_transfer(base: str, path: str, headers: dict) -> dict:
    """Bytes a browser moves for a page: its HTML as sent with Accept-Encoding, and the static files it names,
    which a warm cache does not fetch again while their Cache-Control says immutable."""
    from urllib.request import Request

    accept = {"Accept-Encoding": "br, gzip", **headers}
    with urlopen(Request(base + path, headers=accept), timeout=10) as response:
        html = response.read()
        encoding = response.headers.get("Content-Encoding", "identity")
    text = gzip.decompress(html).decode() if encoding == "gzip" else html.decode(errors="replace")
    static_paths = sorted(set(re.findall(r'(?:src|href)="(/static/[^"]+)"', text)))
    first, cache_controls = 0, set()
    for static in static_paths:
        with urlopen(Request(base + static, headers=accept), timeout=10) as response:
            first += len(response.read())
            cache_controls.add(response.headers.get("Cache-Control", ""))
    immutable = all("immutable" in c for c in cache_controls)
    return {
        "html_bytes": len(html),
        "encoding": encoding,
        "static_bytes": 0 if immutable else first,
        "first_visit_static_bytes": first,
        "static_cache_control": " | ".join(sorted(cache_controls)),
    }
