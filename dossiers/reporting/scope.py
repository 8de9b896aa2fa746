"""Which agencies a supervisor's report covers: his agencies and all below, optionally narrowed."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Agency, Membership, Role, User
from accounts.scoping import descendant_ids
from config.errors import Forbidden, InvalidInput, field_error

REPORT_ROLES = (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class Scope:
    """The agencies a report counts (`agency_ids`) and the ones the user may pick from (`visible_ids`)."""

    agency_ids: frozenset[int]
    visible_ids: frozenset[int]
    selected: int | None = None


def can_read_reports(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role__in=REPORT_ROLES).exists()


def supervised_agency_ids(user: User) -> set[int]:
    """Agencies where the user supervises, and every agency below them; all of them for a superuser."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Agency.objects.values_list("id", flat=True))
    own = Membership.objects.filter(user=user, role__in=REPORT_ROLES).values_list("agency_id", flat=True)
    return descendant_ids(own)


def report_scope(user: User, agency_param: str | None = None) -> Scope:
    """The scope for a request; `agency` narrows it to one visible agency and those below it."""
    visible = supervised_agency_ids(user)
    if not visible:
        raise Forbidden("Bạn không có quyền xem báo cáo thống kê.", "You may not read statistics.")
    if not agency_param:
        return Scope(frozenset(visible), frozenset(visible))
    try:
        agency_id = int(agency_param)
    except (TypeError, ValueError):
        raise InvalidInput(
            "Cơ quan không hợp lệ.",
            "Invalid agency.",
            fields={"agency": field_error("Phải là số.", "Must be a number.")},
        ) from None
    if agency_id not in visible:
        raise Forbidden(
            "Bạn không có quyền xem số liệu của cơ quan này.", "You may not read this agency's figures."
        )
    return Scope(frozenset(descendant_ids([agency_id]) & visible), frozenset(visible), agency_id)
