"""Fixtures for the dossiers tests; the worker and PKI fixtures live in tests/conftest_worker.py."""

from tests.conftest_worker import _session_pki, flushable_event_log, media_root, pki, worker  # noqa: F401

from .rollup_data import province_data  # noqa: F401
