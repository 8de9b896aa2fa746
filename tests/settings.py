"""Settings for the test suite: the product's settings on a Celery queue and cache prefix of its own.

`make test` may run beside `make run` on the same Redis. The tests purge their queue and delete cache keys by
prefix, so they must never share either with a running instance. The names are the instance's own (from
CELERY_QUEUE and CACHE_PREFIX) with `-test` added: checkouts that set their own names stay apart too. The live
Celery workers of the tests load this module as well, so they consume the test queue.
"""

from config.settings import *  # noqa: F403
from config.settings import CACHES, CELERY_TASK_DEFAULT_QUEUE

TEST_SUFFIX = "-test"
RUN_CELERY_QUEUE = CELERY_TASK_DEFAULT_QUEUE  # what `make run` (config.settings) uses in this environment
RUN_CACHE_PREFIX = CACHES["default"]["KEY_PREFIX"]

CELERY_TASK_DEFAULT_QUEUE = RUN_CELERY_QUEUE + TEST_SUFFIX
CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": RUN_CACHE_PREFIX + TEST_SUFFIX}}

# Tests create many users and sign in often; the production hash would dominate their run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Factories write dossiers without the audited path that drops cached tab counts: count on every page, and let
# the tests of dossiers.selectors.count_cache switch the cache on.
DESK_COUNTS_CACHE_SECONDS = 0
# The national links are off unless a test switches one on against its simulator (tests/national): other
# tests' outboxes hold only their own messages, and no SMS leaves for a gateway.
DVCQG_PUSH = False
EMC_PUSH = False
ZALO_ENABLED = False
SMS_BACKEND = "dossiers.notify.backends.LogSmsBackend"
# No population database unless a test starts the simulator (tests/national/test_population*.py): a dossier
# received without a lookup stays "pending", whatever else runs on the simulator's default port.
POPULATION_URL = "http://127.0.0.1:9"
