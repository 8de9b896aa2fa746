"""The link-health page ("Kết nối"): each national link's state, queue and dead messages, for administrators
and supervisors, with the action that sends a link's dead messages again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError, Forbidden
from dossiers.lifecycle.links import may_watch_links, retry_dead_messages
from dossiers.selectors.links import link_health


@login_required
@require_GET
def links_page(request):
    if not may_watch_links(request.user):
        raise PermissionDenied
    return render(request, "links/links.html", {"links": link_health()})


@login_required
@require_POST
def retry_link(request):
    try:
        n = retry_dead_messages(request.user, request.POST.get("link", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = ngettext("Đã đưa %(n)d thư vào hàng đợi gửi lại.", "Đã đưa %(n)d thư vào hàng đợi gửi lại.", n)
        messages.success(request, text % {"n": n})
    return redirect("links")
