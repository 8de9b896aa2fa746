"""Each link's state in words an operator reads at a glance, from its NationalLink row (pure, no query)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dossiers.models import NationalLink

WORKING, DEGRADED, DOWN, OPEN, NEVER = "working", "degraded", "down", "circuit_open", "never_used"
LABELS = {
    WORKING: _("Hoạt động tốt"),
    DEGRADED: _("Chập chờn"),
    DOWN: _("Mất kết nối"),
    OPEN: _("Tạm ngắt (đang chờ thử lại)"),
    NEVER: _("Chưa sử dụng"),
}
# The outbox channels each link delivers (links that only answer questions, like population data, have none).
LINK_CHANNELS: dict[str, tuple[str, ...]] = {
    NationalLink.Name.DVCQG: ("dvcqg",),
    NationalLink.Name.EMC: ("emc",),
    NationalLink.Name.ZALO: ("zalo",),
    NationalLink.Name.SMS: ("sms",),
}
COLOURS = {WORKING: "ok", DEGRADED: "warn", DOWN: "bad", OPEN: "bad", NEVER: "none"}


def state_of(link: NationalLink, now: datetime) -> str:
    """circuit_open while calls are refused; down once the breaker's count of failures in a row is reached;
    degraded after any failure in a row or one in the last LINK_RECENT_FAILURE_SECONDS; never_used before
    the first call; else working."""
    if link.open_until and link.open_until > now:
        return OPEN
    if not link.calls and not link.last_success_at and not link.last_failure_at:
        return NEVER
    if link.consecutive_failures >= max(int(settings.NATIONAL_BREAKER_FAILURES), 1):
        return DOWN
    recent = now - timedelta(seconds=float(settings.LINK_RECENT_FAILURE_SECONDS))
    if link.consecutive_failures or (link.last_failure_at and link.last_failure_at > recent):
        return DEGRADED
    return WORKING
