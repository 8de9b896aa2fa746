"""The signed-in user's inbox: list (newest first, paginated), mark one or all as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ..notify import inbox

PAGE_SIZE = 30


@require_GET
@login_required
def inbox_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox.for_user(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "inbox/list.html", {"page": page, "unread_only": unread_only})


def _back(request):
    target = request.POST.get("next") or "/inbox/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/inbox/"
    return redirect(target)


@require_POST
@login_required
def mark_read(request, pk: int):
    if not inbox.for_user(request.user).filter(pk=pk).exists():
        raise Http404  # another user's notification: as if it did not exist, as the API answers
    inbox.mark_read(request.user, [pk])
    return _back(request)


@require_POST
@login_required
def mark_all_read(request):
    inbox.mark_all_read(request.user)
    return _back(request)
