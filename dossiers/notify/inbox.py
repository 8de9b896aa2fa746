"""Reads and writes of a user's in-app inbox (the only queries the inbox page and API make)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from ..models import Notification


def for_user(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, with the dossier code (index notif_user_created)."""
    qs = (
        Notification.objects.filter(user=user)
        .select_related("dossier")
        .only(
            "id",
            "kind",
            "title",
            "body",
            "title_en",
            "body_en",
            "items",
            "read_at",
            "created_at",
            "dossier__id",
            "dossier__code",
        )
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User, ids: list[int]) -> int:
    """Mark the user's own notifications read (others' ids are ignored); returns how many changed."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
