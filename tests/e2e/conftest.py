"""Browser tests drive Debian's chromium (no downloaded browser) against pytest-django's live server."""

import os

import pytest

from tests.conftest_worker import flushable_event_log  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; the ORM calls from that thread are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(autouse=True)
def unhashed_static_names(settings):
    """The live server serves static files from the finders (Django's StaticFilesHandler, ahead of
    WhiteNoise), which know only the source names; tests/test_static_files.py tests the hashed ones."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
