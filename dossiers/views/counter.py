"""The clerk's counter: call the next number, recall it, start, finish or mark it absent; then receive the
dossier at the intake page, which links it to the ticket being served."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.scoping import memberships
from config.errors import DomainError
from dossiers.queueing import selectors, services


def _clerk_agency_ids(request) -> list[int]:
    return sorted(a for a, r in memberships(request.user) if r == Role.CLERK)


@login_required
@require_GET
def counter_list(request):
    """The counters of the clerk's agencies, to sit at one."""
    ids = _clerk_agency_ids(request)
    if not ids:
        raise Http404
    return render(request, "tickets/counter_list.html", {"counters": selectors.counters_for(ids)})


@login_required
@require_GET
def counter_page(request, counter_id: int):
    counter = selectors.counter_of(counter_id, _clerk_agency_ids(request))
    if counter is None:
        raise Http404
    return render(request, "tickets/counter.html", {"state": selectors.counter_state(counter)})


OPERATIONS = {
    "call": (services.call_next, gettext_lazy("Đã gọi số %(label)s.")),
    "recall": (services.recall, gettext_lazy("Đã gọi lại số %(label)s.")),
    "start": (services.start_service, gettext_lazy("Bắt đầu phục vụ số %(label)s.")),
    "finish": (services.finish, gettext_lazy("Đã phục vụ xong số %(label)s.")),
    "no_show": (services.mark_no_show, gettext_lazy("Số %(label)s vắng mặt.")),
}

# The buttons' URLs, in the language of the desk.
SLUGS = {"call": "goi", "recall": "goi-lai", "start": "bat-dau", "finish": "xong", "no_show": "vang"}


@login_required
@require_POST
def counter_operation(request, counter_id: int, operation: str):
    """One button of the counter page; the answer is the counter page again (post, redirect, get)."""
    counter = selectors.counter_of(counter_id, _clerk_agency_ids(request))
    if counter is None:
        raise Http404
    service, done = OPERATIONS[operation]
    try:
        ticket = service(counter, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done) % {"label": ticket.label})
    return redirect("counter-page", counter_id=counter.pk)
