"""A live Celery worker with an embedded beat (`worker -B`) on the real Redis broker, for the sweep tests.

The beat runs the code-defined schedule with short intervals (SWEEP_INTERVAL, OUTBOX_DRAIN_INTERVAL from the
environment). Reuses the database URL, queue purge and event-log flush of tests/conftest_worker.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest_worker import _queue_exists, _test_database_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def beat_worker(flushable_event_log, settings, tmp_path):
    from config.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with app.connection_for_write() as conn:  # leftovers of an earlier run point at rows that are gone
        if _queue_exists(conn, queue):
            conn.default_channel.queue_purge(queue)
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_QUEUE": queue,
        "DB_CONN_MAX_AGE": "0",
        "SWEEP_INTERVAL": "1",
        "OUTBOX_DRAIN_INTERVAL": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "config",
            "worker",
            "-B",
            "-s",
            str(tmp_path / "beat-schedule"),
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"sweeps-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
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
    yield proc
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
