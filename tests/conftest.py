"""Shared fixtures: a province with one ward and its staff."""

from pathlib import Path

import pytest

import config.settings as run_settings
from accounts.models import Role
from config.ratelimit import forget_prefix
from procedures.calendar import calendar

from . import factories


@pytest.fixture(scope="session", autouse=True)
def own_queue_and_cache_prefix():
    """The suite purges its Celery queue and deletes cache keys: refuse to run on those of `make run`
    (as when DJANGO_SETTINGS_MODULE=config.settings is exported, which pytest-django prefers to pyproject)."""
    from django.conf import settings

    run_cache_prefix = run_settings.CACHES["default"]["KEY_PREFIX"]
    if (
        settings.CELERY_TASK_DEFAULT_QUEUE == run_settings.CELERY_TASK_DEFAULT_QUEUE
        or settings.CACHES["default"]["KEY_PREFIX"] == run_cache_prefix
    ):
        pytest.exit(f"tests must run with tests.settings, not {settings.SETTINGS_MODULE}", returncode=4)


@pytest.fixture(scope="session", autouse=True)
def collected_static_files(own_queue_and_cache_prefix):
    """Pages name static files by their hashed names, read from the manifest collectstatic writes (as
    `make run` does); collect again only when a source file is newer than the manifest (a full collect with
    compression takes ~10 s of CPU)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = (storage.path(p) for finder in get_finders() for p, storage in finder.list([]))
    newest = max(Path(p).stat().st_mtime for p in sources)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    """Public lookup limits are counted per client address in Redis, outside the test's transaction: every
    test starts with none, so a test that looks up often (the API fuzz run) never limits the next one."""
    forget_prefix("rate:")


@pytest.fixture
def fresh_calendar():
    """The shared working-day calendar rebuilt around the test (its overrides are rolled back with it)."""
    calendar.reset()
    yield
    calendar.reset()


@pytest.fixture
def province(db):
    return factories.agency(name="Tỉnh Thử", code="000.00.00.T01")


@pytest.fixture
def ward(province):
    return factories.agency(parent=province, name="Phường Thử Nhất")


@pytest.fixture
def clerk(ward):
    return factories.user(role=Role.CLERK, agency=ward, username="clerk")


@pytest.fixture
def handler(ward):
    return factories.user(role=Role.HANDLER, agency=ward, username="handler")


@pytest.fixture
def leader(ward):
    return factories.user(role=Role.LEADER, agency=ward, username="leader")


@pytest.fixture
def supervisor(ward):
    return factories.user(role=Role.SUPERVISOR, agency=ward, username="supervisor")


@pytest.fixture
def birth_registration(db):
    return factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
