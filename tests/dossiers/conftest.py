"""Fixtures for the dossiers tests; the worker and PKI fixtures live in tests/conftest_worker.py."""

from tests.conftest_worker import _session_pki, media_root, pki, worker  # noqa: F401
