"""The signed-in user's inbox: what needs their attention now, then their notifications (newest first,
paginated); mark one or all as read; the header's live badge."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ..lifecycle import reminders
from ..notify import inbox

PAGE_SIZE = 30
ATTENTION_SHOWN = 30


@require_GET
@login_required
def inbox_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox.for_user(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    attention = reminders.items_for([request.user.pk], timezone.now())[request.user.pk]
    context = {
        "page": page,
        "unread_only": unread_only,
        "attention": attention[:ATTENTION_SHOWN],
        "attention_more": max(len(attention) - ATTENTION_SHOWN, 0),
    }
    return render(request, "inbox/list.html", context)


@require_GET
@login_required
def badge(request):
    """The header's badge, polled by htmx: unread notifications, and the user's dossiers and steps past or
    near their due."""
    context = {
        "unread_notifications": inbox.unread_count(request.user),
        "attention_count": reminders.count_for(request.user.pk, timezone.now()),
    }
    response = render(request, "inbox/_nav_badge.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


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
