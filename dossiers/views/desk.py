"""The desk's queues as tabs with counts, and the paginated list of one queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dossiers.lifecycle.predicates import is_past_appointment
from dossiers.selectors.queues import PAGE_SIZE, QUEUES, queue_counts, queue_dossiers, queues_for

from ..selectors import dossiers_visible_to


@login_required
@require_GET
def desk_home(request):
    """The first tab the user's roles give (citizens and supervisors have no desk)."""
    tabs = queues_for(request.user)
    if not tabs:
        return redirect("/")
    return redirect("desk-queue", queue=tabs[0].name)


@login_required
@require_GET
def queue_list(request, queue: str):
    tabs = queues_for(request.user)
    current = QUEUES.get(queue)
    if current is None or current not in tabs:
        raise Http404
    now = timezone.now()
    base = dossiers_visible_to(request.user)  # the user's agencies read once for counts and rows
    counts = queue_counts(request.user, tabs, now, base)
    page = Paginator(queue_dossiers(request.user, current, now, base), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "desk/queue.html",
        {
            "tabs": [(q, counts.get(q.name, 0)) for q in tabs],
            "current": current,
            "page": page,
            "rows": [(d, is_past_appointment(d, now)) for d in page.object_list],
        },
    )
