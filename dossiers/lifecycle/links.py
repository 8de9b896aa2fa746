"""Operators and the national links: who may watch them, and putting a link's dead messages back in the
outbox queue (audited in the admin's history of each message)."""

from __future__ import annotations

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import Role, User
from accounts.scoping import memberships
from config.errors import Forbidden, InvalidInput, field_error
from dossiers.models import NationalLink, OutboxMessage
from dossiers.national.health import LINK_CHANNELS
from dossiers.notify import outbox

logger = logging.getLogger(__name__)


def may_watch_links(user: User) -> bool:
    """Administrators and supervisors (of any agency) see the links and retry their messages."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(r in (Role.ADMIN, Role.SUPERVISOR) for _, r in memberships(user))


def retry_dead_messages(actor: User, link: str) -> int:
    """Every dead message of the link's channels back to pending now; returns how many."""
    if not may_watch_links(actor):
        raise Forbidden(
            "Chỉ quản trị viên và giám sát mới được gửi lại thư của kết nối.",
            "Only administrators and supervisors may resend a link's messages.",
            code="role_not_allowed",
        )
    channels = LINK_CHANNELS.get(link)
    if link not in NationalLink.Name.values or not channels:
        raise InvalidInput(
            "Kết nối này không có thư để gửi lại.",
            "This link has no messages to resend.",
            fields={"link": field_error("Kết nối không hợp lệ.", "Unknown link.")},
        )
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(status=OutboxMessage.State.DEAD, channel__in=channels)
            .values_list("pk", flat=True)
        )
        n = outbox.retry(ids) if ids else 0
        if n:
            kind = ContentType.objects.get_for_model(OutboxMessage)
            LogEntry.objects.bulk_create(
                LogEntry(
                    user_id=actor.pk,
                    content_type=kind,
                    object_id=str(pk),
                    object_repr=f"{link} #{pk}"[:200],
                    action_flag=CHANGE,
                    change_message=f"Gửi lại từ trang Kết nối ({link}) / Resent from the links page",
                )
                for pk in ids
            )
    logger.info("links: %s resent %d dead %s messages", actor.get_username(), n, link)
    return n
