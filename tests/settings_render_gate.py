"""tests.settings for a live worker whose e-result rendering waits at a gate (tests/render_gate.py)."""

import tests.render_gate  # noqa: F401
from tests.settings import *  # noqa: F403
