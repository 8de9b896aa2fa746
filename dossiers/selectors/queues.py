"""The desk's work queues: name, label, filter and ordering of each tab, and all tab counts in one query.

"Sắp đến hạn" (due_soon) and "Trễ hẹn" (overdue) judge the appointment the citizen holds, by the lifecycle's
predicates; the legal due is the statistics' and the escalation's business."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.scoping import memberships, visible_agency_ids
from config.errors import NotFound
from dossiers.lifecycle.predicates import appointment_due_soon, past_appointment
from dossiers.models import Document, Dossier, SavedFilter, Status
from dossiers.models.dossier import OPEN, RUNNING
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors.count_cache import cached_counts
from dossiers.selectors.filters import DossierFilter

PAGE_SIZE = 50


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    roles: tuple[str, ...]  # who sees the tab
    where: Callable[[User, datetime], Q]
    ordering: tuple[str, ...]


def _leader_agencies(user: User) -> list[int]:
    return sorted(a for a, r in memberships(user) if r == Role.LEADER)


CLERK, HANDLER, LEADER = Role.CLERK, Role.HANDLER, Role.LEADER

QUEUES: dict[str, Queue] = {
    q.name: q
    for q in [
        Queue(
            "to_receive",
            _("Chờ tiếp nhận"),
            (CLERK,),
            lambda u, now: Q(status=Status.SUBMITTED),
            ("submitted_at", "id"),
        ),
        Queue(
            "mine",
            _("Giao cho tôi"),
            (CLERK, HANDLER, LEADER),
            lambda u, now: Q(assignee_id=u.pk, status__in=[*RUNNING, Status.RESOLVED]),
            ("due_at", "id"),
        ),
        Queue(
            "to_approve",
            _("Chờ phê duyệt"),
            (LEADER,),
            lambda u, now: Q(
                status__in=RUNNING, current_step__role=LEADER, competent_agency_id__in=_leader_agencies(u)
            ),
            ("due_at", "id"),
        ),
        Queue(
            "in_progress",
            _("Đang xử lý"),
            (CLERK, HANDLER, LEADER),
            lambda u, now: Q(status__in=[*RUNNING, Status.AWAITING_PAYMENT]),
            ("due_at", "id"),
        ),
        Queue(
            "due_soon",
            _("Sắp đến hạn"),
            (CLERK, HANDLER, LEADER),
            lambda u, now: appointment_due_soon(now),
            ("due_at", "id"),
        ),
        Queue(
            "overdue",
            _("Trễ hẹn"),
            (CLERK, HANDLER, LEADER),
            lambda u, now: past_appointment(now),
            ("due_at", "id"),
        ),
        Queue(
            "supplement",
            _("Chờ bổ sung"),
            (CLERK, HANDLER),
            lambda u, now: Q(status=Status.SUPPLEMENT_REQUESTED),
            ("supplement_due_at", "id"),
        ),
        Queue(
            "to_return",
            _("Chờ trả kết quả"),
            (CLERK,),
            lambda u, now: Q(status=Status.RESOLVED),
            ("resolved_at", "id"),
        ),
    ]
}


QUEUE_STATUSES = (*OPEN, Status.RESOLVED)


def queues_for(user: User) -> list[Queue]:
    """The tabs the user's roles give, in table order (a superuser sees them all)."""
    roles = {r for _a, r in memberships(user)}
    if user.is_superuser:
        return list(QUEUES.values())
    return [q for q in QUEUES.values() if roles & set(q.roles)]


def queue_counts(
    user: User, queues: list[Queue], now: datetime | None = None, base: QuerySet[Dossier] | None = None
) -> dict[str, int]:
    """Every tab's count in one aggregate query over the user's visible dossiers."""
    now = now or timezone.now()
    if not queues:
        return {}
    aggregates = {q.name: Count("id", filter=q.where(user, now)) for q in queues}
    # Every queue is a subset of the open or resolved dossiers; saying so lets the (agency, status, due)
    # indexes skip the returned and other final dossiers, which are most of a centre's table.
    base = dossiers_visible_to(user) if base is None else base
    return base.filter(status__in=QUEUE_STATUSES).aggregate(**aggregates)


def tab_counts(
    user: User, queues: list[Queue], now: datetime | None = None, base: QuerySet[Dossier] | None = None
) -> dict[str, int]:
    """queue_counts as the desk shows them: kept briefly in the cache until a dossier of the user's
    agencies changes (selectors.count_cache)."""
    names = [q.name for q in queues]
    return cached_counts(
        user.pk, visible_agency_ids(user), names, lambda: queue_counts(user, queues, now, base)
    )


def queue_dossiers(
    user: User, queue: Queue, now: datetime | None = None, base: QuerySet[Dossier] | None = None
) -> QuerySet[Dossier]:
    """The queue's dossiers with what a row shows (procedure, assignee, step), in the queue's order."""
    now = now or timezone.now()
    return (
        (dossiers_visible_to(user) if base is None else base)
        .filter(queue.where(user, now))
        .select_related("procedure", "assignee", "current_step")
        .order_by(*queue.ordering)
    )


def submitted_components() -> Prefetch:
    """The components of the rows of "Chờ tiếp nhận", shown inline (one query for the page)."""
    components = Document.objects.filter(kind=Document.Kind.COMPONENT).select_related("requirement")
    return Prefetch(
        "documents", queryset=components.order_by("requirement__order", "id"), to_attr="components"
    )


def saved_filters_of(user: User) -> list[SavedFilter]:
    """The user's saved filters, shown as tabs after the queues (one query)."""
    return list(SavedFilter.objects.filter(user=user).order_by("name", "id").only("id", "name", "params"))


def saved_filter_of(user: User, filter_id: int, filters: list[SavedFilter] | None = None) -> SavedFilter:
    """One of the user's own saved filters (NotFound for anyone else's)."""
    rows = saved_filters_of(user) if filters is None else filters
    found = next((f for f in rows if f.pk == filter_id), None)
    if found is None:
        raise NotFound("Không tìm thấy bộ lọc.", "Filter not found.")
    return found


def saved_filter_dossiers(request, saved: SavedFilter, base: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The saved filter's dossiers through the list's filters, with what a row shows, soonest due first."""
    found = DossierFilter(data=saved.params, queryset=base, request=request).qs
    return found.select_related("procedure", "assignee", "current_step").order_by("due_at", "id")
