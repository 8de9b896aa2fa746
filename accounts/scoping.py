"""Which agencies a user may see or act for; querysets elsewhere filter by these ids."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Agency, Membership, Role, User

STAFF_ROLES = (Role.CLERK, Role.HANDLER, Role.LEADER)


def agency_ids_with_role(user: User, roles: Iterable[str]) -> set[int]:
    """Agencies where the user holds one of the roles (no descendants)."""
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, role__in=list(roles)).values_list("agency_id", flat=True))


def descendant_ids(agency_ids: Iterable[int]) -> set[int]:
    """The agencies and every agency below them (one query per level; the tree is shallow)."""
    result = set(agency_ids)
    frontier = set(result)
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= frontier
    return result


def visible_agency_ids(user: User) -> set[int]:
    """Staff see their own agencies; supervisors and admins also see every agency below theirs."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Agency.objects.values_list("id", flat=True))
    held = memberships(user)  # read once per user object, shared with the role checks of the same request
    own = {a for a, r in held if r in STAFF_ROLES}
    supervised = {a for a, r in held if r in (Role.SUPERVISOR, Role.ADMIN)}
    return own | descendant_ids(supervised)


def has_role(user: User, role: str, agency_id: int | None = None) -> bool:
    if not user.is_authenticated:
        return False
    qs = Membership.objects.filter(user=user, role=role)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.exists()


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def memberships(user: User | None) -> frozenset[tuple[int, str]]:
    """(agency id, role) pairs of the user, read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_memberships", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("agency_id", "role"))
        user._memberships = cached
    return cached
