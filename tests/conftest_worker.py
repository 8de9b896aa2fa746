"""Fixtures for documents and background work: a temporary PKI and media root, and a live Celery worker.

Import them from a conftest, as tests/dossiers/conftest.py does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def _session_pki(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture
def pki(settings, _session_pki, ward, province):
    """A development CA and certificates for the test agencies (keys are made once per session per code)."""
    settings.SIGNING_DIR = _session_pki
    settings.SIGNING_TRUST_ROOTS = []
    call_command("create_dev_ca", ward.code, province.code, stdout=open(os.devnull, "w"))
    return _session_pki


@pytest.fixture
def flushable_event_log(transactional_db):
    """Let the flush after a transactional test truncate the append-only event log.

    The database refuses TRUNCATE on events; for this one connection, just before the flush, triggers are
    switched off (session_replication_role). Django closes the connection after the flush, so the next test
    gets a normal session with the append-only rules in force.
    """
    from django.db import connection

    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def purge_queue(queue: str) -> None:
    """Drop messages left by an earlier run: they would point at rows that are gone."""
    from config.celery import app

    with app.connection_for_write() as conn:
        if _queue_exists(conn, queue):
            conn.default_channel.queue_purge(queue)


@contextmanager
def live_worker(env: dict[str, str], *, name: str, extra_args: tuple[str, ...] = ()):
    """A `celery worker --pool solo` subprocess on the real Redis broker against the test database.

    The worker loads the settings of this test run (tests.settings), so it consumes, and sends its own tasks
    to, the test queue. Yields the process once the worker says it is ready (its output lines in `proc.log`);
    stops it afterwards.
    """
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    purge_queue(queue)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],  # this run's (pytest-django sets it)
        "DATABASE_URL": _test_database_url(),
        "DB_CONN_MAX_AGE": "0",
        **env,
    }
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "config", "worker", *extra_args, "-Q", queue, "--pool", "solo"]
    command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["-n", f"{name}-{os.getpid()}@%h"]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    ready = threading.Event()
    lines: list[str] = []

    def follow():
        for line in proc.stdout:
            lines.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=follow, daemon=True).start()
    if not ready.wait(60):
        proc.kill()
        proc.wait()
        pytest.fail("Celery worker did not start:\n" + "".join(lines[-40:]))
    proc.log = lines
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def worker(flushable_event_log, settings):
    """A live worker; settings overridden before it (SIGNING_DIR, MEDIA_ROOT) are passed on."""
    env = {
        "SIGNING_DIR": str(settings.SIGNING_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_P12_PASSPHRASE": settings.SIGNING_P12_PASSPHRASE,
    }
    with live_worker(env, name="test") as proc:
        yield proc


def _queue_exists(conn, queue: str) -> bool:
    try:
        conn.default_channel.queue_declare(queue, passive=True)
        return True
    except Exception:
        return False


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll a condition the worker makes true (there is no event to wait on across processes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class PrivateRedis:
    """A redis-server of this test alone (no persistence): stopped and started again empty, as a broker that
    crashes and restarts loses every message it held."""

    def __init__(self, workdir: Path):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.workdir)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answers():
            try:
                return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

        assert wait_until(answers, timeout=10), "private redis-server did not start"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()  # a crash: nothing is saved
            self.proc.wait()
            self.proc = None


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()
