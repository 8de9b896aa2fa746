"""Reads of dossiers, already scoped to what the user may see (receiving or competent agency)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.scoping import visible_agency_ids
from config.errors import NotFound
from dossiers.models import Dossier, DossierEvent


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Dossiers received or handled by an agency the user sees, plus those the user filed online."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    ids = visible_agency_ids(user)
    scope = Q(receiving_agency_id__in=ids) | Q(competent_agency_id__in=ids) | Q(applicant_user_id=user.pk)
    return Dossier.objects.filter(scope)


def dossier_list(user: User) -> QuerySet[Dossier]:
    """The visible dossiers with what a list row shows, in one query."""
    return dossiers_visible_to(user).select_related(
        "procedure", "receiving_agency", "competent_agency", "assignee"
    )


def dossier_detail(user: User, code: str) -> Dossier:
    """One visible dossier with its steps; NotFound (never Forbidden) outside the user's scope."""
    dossier = (
        dossiers_visible_to(user)
        .select_related(
            "procedure", "receiving_agency", "competent_agency", "assignee", "received_by", "current_step"
        )
        .prefetch_related("steps__assignee", "steps__agency")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", "Dossier not found.")
    return dossier


def dossier_history(dossier: Dossier, *, public_only: bool = False) -> QuerySet[DossierEvent]:
    """The dossier's events in order (the public timeline shows only the public ones)."""
    events = DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id")
    return events.filter(public=True) if public_only else events
