"""A live Celery worker with an embedded beat (`worker -B`) on the real Redis broker, for the sweep tests.

The beat runs the code-defined schedule with short intervals (SWEEP_INTERVAL, OUTBOX_DRAIN_INTERVAL from the
environment). Reuses the database URL, queue purge and event-log flush of tests/conftest_worker.py.
"""

from __future__ import annotations

import pytest

from tests.conftest_worker import live_worker


@pytest.fixture
def beat_worker(flushable_event_log, tmp_path):
    env = {
        "SWEEP_INTERVAL": "1",
        "OUTBOX_DRAIN_INTERVAL": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    beat = ("-B", "-s", str(tmp_path / "beat-schedule"))
    with live_worker(env, name="sweeps", extra_args=beat) as proc:
        yield proc
