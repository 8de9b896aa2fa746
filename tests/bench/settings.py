"""Settings for the HTTP benchmarks: the test settings (own queue and cache prefix) plus a bare comparison
view, no rate limits."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False
TRACKING_RATE_LIMIT = "1000000000/60"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The product's tab-count cache, as it runs (the test settings switch it off); the environment can too.
from config.settings import DESK_COUNTS_CACHE_SECONDS  # noqa: E402, F401
