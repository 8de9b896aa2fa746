"""Settings for the HTTP benchmarks: the product's settings plus a bare comparison view, no rate limits."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False
TRACKING_RATE_LIMIT = "1000000000/60"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
