"""Celery tasks: thin wrappers around services, one module per concern."""

from .national import dvcqg_pull  # noqa: F401
from .outbox import drain_outbox  # noqa: F401
from .payments import recheck_payments  # noqa: F401
from .population import verify_population  # noqa: F401
from .results import issue_result, sweep_results  # noqa: F401
from .stats import refresh_current_stats, refresh_stats_rollups  # noqa: F401
from .sweeps import daily_digest, sweep_deadlines  # noqa: F401
