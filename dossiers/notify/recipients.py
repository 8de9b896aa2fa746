"""Who is told: the citizen's contacts, staff addresses, and the leaders of agencies (set-based reads)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from accounts.models import Membership, Role, User

from ..models import Dossier


def citizen_contacts(dossier: Dossier) -> list[tuple[str, str]]:
    """(channel, address) pairs for the applicant: email if given, SMS if a phone is given."""
    out = []
    if dossier.applicant_email:
        out.append(("email", dossier.applicant_email))
    if dossier.applicant_phone:
        out.append(("sms", dossier.applicant_phone))
    return out


def emails_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Active users' email addresses (users without one map to ""); one query."""
    return directory(user_ids)[0]


def directory(user_ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str]]:
    """(emails, display names) of the active users among user_ids; one query."""
    ids = {i for i in user_ids if i}
    emails: dict[int, str] = {}
    names: dict[int, str] = {}
    if not ids:
        return emails, names
    for pk, email, full_name, username in User.objects.filter(pk__in=ids, is_active=True).values_list(
        "pk", "email", "full_name", "username"
    ):
        emails[pk], names[pk] = email, full_name or username
    return emails, names


def holders_by_agency(
    agency_ids: Iterable[int], roles: Iterable[str] = (Role.LEADER,)
) -> dict[int, list[int]]:
    """agency id -> ids of active users holding one of the roles there; one query."""
    ids = {i for i in agency_ids if i}
    result: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return result
    rows = (
        Membership.objects.filter(agency_id__in=ids, role__in=list(roles), user__is_active=True)
        .order_by("agency_id", "user_id")
        .values_list("agency_id", "user_id")
        .distinct()
    )
    for agency_id, user_id in rows:
        result[agency_id].append(user_id)
    return result
