"""Celery tasks: thin wrappers around services, one module per concern."""

from .results import issue_result  # noqa: F401
