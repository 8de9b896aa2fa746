"""/healthz: is the database and Redis answering, and how the national links are (reported, never failing)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_ok() -> bool:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except Exception:
        return False


def _links() -> dict[str, str]:
    """Each national link's state (one query). A link down degrades a feature, never the site: the answer
    stays 200 for the load balancer, and the operator reads which link is degraded."""
    from django.utils import timezone

    from dossiers.national.health import state_of
    from dossiers.national.links import snapshot

    now = timezone.now()
    try:
        return {link.name: state_of(link, now) for link in snapshot()}
    except Exception:
        return {}


def healthz(request):
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{name: ("ok" if ok else "down") for name, ok in checks.items()},
    }
    if checks["database"]:
        body["links"] = _links()
        body["degraded_links"] = sorted(
            name for name, state in body["links"].items() if state not in ("working", "never_used")
        )
    return JsonResponse(body, status=200 if healthy else 503)
