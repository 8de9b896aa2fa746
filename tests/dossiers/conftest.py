"""Fixtures for the dossiers tests; the worker and PKI fixtures live in tests/conftest_worker.py."""

from tests.conftest_worker import (  # noqa: F401
    _session_pki,
    flushable_event_log,
    media_root,
    pki,
    private_redis,
    worker,
)

from .rollup_data import province_data  # noqa: F401
