"""`make test` beside `make run` on one Redis: the tests send to, purge and cache under names of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from redis import Redis

from config.jobs import enqueue
from tests.conftest_worker import ROOT

PROBE_TASK = "tests.isolation_probe"  # registered nowhere: no worker would run it


def names_under(settings_module: str, env: dict[str, str]) -> dict[str, str]:
    """The queue and cache prefix a fresh process gets from `settings_module` in environment `env`."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps("
        "{'queue': s.CELERY_TASK_DEFAULT_QUEUE, 'prefix': s.CACHES['default']['KEY_PREFIX']}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("CELERY_QUEUE", "CACHE_PREFIX")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": settings_module},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


@pytest.mark.parametrize(
    ("env", "under_run", "under_test"),
    [
        # `make run` and `make test` with the defaults
        ({}, ("onestop", "onestop"), ("onestop-test", "onestop-test")),
        ({"CELERY_QUEUE": "ward7", "CACHE_PREFIX": "w7"}, ("ward7", "w7"), ("ward7-test", "w7-test")),
    ],
)
def test_the_tests_get_a_queue_and_cache_prefix_apart_from_the_instance(env, under_run, under_test):
    assert names_under("config.settings", env) == dict(zip(("queue", "prefix"), under_run, strict=True))
    assert names_under("tests.settings", env) == dict(zip(("queue", "prefix"), under_test, strict=True))


def test_this_run_uses_the_test_settings():
    assert settings.SETTINGS_MODULE == "tests.settings"
    assert settings.CELERY_TASK_DEFAULT_QUEUE == settings.RUN_CELERY_QUEUE + "-test"
    assert settings.CACHES["default"]["KEY_PREFIX"] == settings.RUN_CACHE_PREFIX + "-test"


@pytest.fixture
def broker():
    client = Redis.from_url(settings.CELERY_BROKER_URL)
    yield client
    client.close()


def test_a_job_enqueued_by_the_product_lands_on_the_test_queue(broker):
    token = uuid.uuid4().hex
    test_queue, run_queue = settings.CELERY_TASK_DEFAULT_QUEUE, settings.RUN_CELERY_QUEUE

    assert enqueue(PROBE_TASK, token)

    mine = [raw for raw in broker.lrange(test_queue, 0, -1) if token.encode() in raw]
    try:
        assert len(mine) == 1
        assert json.loads(mine[0])["headers"]["task"] == PROBE_TASK
        assert not [raw for raw in broker.lrange(run_queue, 0, -1) if token.encode() in raw]
    finally:
        for raw in mine:
            broker.lrem(test_queue, 0, raw)


def test_cache_keys_are_written_under_the_test_prefix():
    token = uuid.uuid4().hex
    redis = Redis.from_url(settings.CACHES["default"]["LOCATION"])
    cache.set(f"isolation-probe-{token}", 1, 30)
    try:
        assert redis.exists(f"{settings.RUN_CACHE_PREFIX}-test:1:isolation-probe-{token}")
        assert not redis.exists(f"{settings.RUN_CACHE_PREFIX}:1:isolation-probe-{token}")
    finally:
        cache.delete(f"isolation-probe-{token}")
        redis.close()
