"""The desk's queues as tabs with counts, the user's saved filters as tabs of their own, the paginated list of
one tab, and the one search box of every desk page."""

from __future__ import annotations

from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from dossiers.lifecycle import saved_filters
from dossiers.lifecycle.predicates import is_past_appointment
from dossiers.models import Status
from dossiers.models.saved_filter import SAVED_FILTER_NAME_LENGTH
from dossiers.selectors.queues import (
    PAGE_SIZE,
    QUEUES,
    queue_dossiers,
    queues_for,
    saved_filter_dossiers,
    saved_filter_of,
    saved_filters_of,
    submitted_components,
    tab_counts,
)
from dossiers.selectors.search import (
    SEARCH_LIMIT,
    SEARCH_MIN_LENGTH,
    clean_search,
    search_dossiers,
)
from procedures.models import Procedure

from ..selectors import dossiers_visible_to
from . import bulk
from .documents import problem


@login_required
@require_GET
def desk_home(request):
    """The first tab the user's roles give (citizens and supervisors have no desk)."""
    tabs = queues_for(request.user)
    if not tabs:
        return redirect("/")
    return redirect("desk-queue", queue=tabs[0].name)


def waited(since, now) -> str:
    """How long an online dossier has waited to be received, in hours under a day, else in days."""
    if since is None:
        return "–"
    hours = max(int((now - since).total_seconds() // 3600), 0)
    if hours < 24:
        return ngettext("%(n)s giờ", "%(n)s giờ", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)s ngày", "%(n)s ngày", days) % {"n": days}


def _rows(dossiers, now):
    """(dossier, past its appointment, status label) per row. The labels are translated once per page:
    get_status_display rebuilds the choices and hashes their lazy labels on every call, which was a quarter
    of the queue page's rendering at 50 rows."""
    labels = {value: str(label) for value, label in Status.choices}
    return [(d, is_past_appointment(d, now), labels.get(d.status, d.status)) for d in dossiers]


@contextmanager
def serial_plans():
    """Plan the tab's queries without parallel workers. A queue reads an agency's ~10-20 k open rows by
    bitmap and keeps the first 50: on this 2-core host a parallel plan spent 38 ms starting workers and
    merging where the same plan run serially takes 7 ms (docs/PERFORMANCE.md, at 1 M dossiers). SET LOCAL
    ends with the transaction, so reports on the same connection keep their parallel plans."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def _tab_page(request, tabs, base, now, found, context, current=None):
    with serial_plans():
        counts = tab_counts(request.user, tabs, now, base)
        # The page's ids first (a narrow top-N sort over the index bitmap), then those 50 rows with their
        # joins: joined before the LIMIT, the plan looked up the current step of every open row (~14 k).
        paginator = Paginator(found.values_list("id", flat=True), PAGE_SIZE)
        if current is not None:  # a queue's own tab count is its length: not counted a second time
            paginator.count = counts.get(current.name, 0)
        page = paginator.get_page(request.GET.get("page"))
        ids = list(page.object_list)
        by_id = {d.pk: d for d in found.order_by().filter(pk__in=ids)}
        rows = _rows([by_id[i] for i in ids if i in by_id], now)
    for d, _past, _label in rows:
        d.waited = waited(d.submitted_at, now)
    return render(
        request,
        "desk/queue.html",
        {
            "tabs": [(q, counts.get(q.name, 0)) for q in tabs],
            "page": page,
            "rows": rows,
            "bulk_actions": bulk.offered(request.user, [d for d, _late, _label in rows]),
            **context,
        },
    )


@login_required
@require_GET
def queue_list(request, queue: str):
    tabs = queues_for(request.user)
    current = QUEUES.get(queue)
    if current is None or current not in tabs:
        raise Http404
    now = timezone.now()
    base = dossiers_visible_to(request.user)  # the user's agencies read once for counts and rows
    found = queue_dossiers(request.user, current, now, base)
    if current.name == "to_receive":  # online filings: the clerk checks the uploaded files before receiving
        found = found.prefetch_related(submitted_components())
    context = {"current": current, "title": current.label, "saved_filters": saved_filters_of(request.user)}
    return _tab_page(request, tabs, base, now, found, context, current)


@login_required
@require_GET
def saved_filter_list(request, filter_id: int):
    tabs = queues_for(request.user)
    if not tabs:
        raise Http404
    saved = saved_filters_of(request.user)
    try:
        current = saved_filter_of(request.user, filter_id, saved)
    except DomainError as error:
        return problem(request, error)
    now = timezone.now()
    base = dossiers_visible_to(request.user)
    found = saved_filter_dossiers(request, current, base)
    context = {"current_filter": current, "title": current.name, "saved_filters": saved}
    return _tab_page(request, tabs, base, now, found, context)


@login_required
@require_GET
def search(request):
    """Matches of the search box, newest first, as a queue lists them (tabs shown without their counts)."""
    tabs = queues_for(request.user)
    if not tabs:
        raise Http404
    try:
        text = clean_search(request.GET.get("q"))
    except DomainError as error:
        return problem(request, error)
    found = search_dossiers(request.user, text) if len(text) >= SEARCH_MIN_LENGTH else []
    now = timezone.now()
    return render(
        request,
        "desk/search.html",
        {
            "tabs": [(q, None) for q in tabs],
            "saved_filters": saved_filters_of(request.user),
            "q": text,
            "too_short": len(text) < SEARCH_MIN_LENGTH,
            "more": len(found) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
            "rows": _rows(found[:SEARCH_LIMIT], now),
        },
    )


DUE_WINDOWS = [
    ("", gettext_lazy("Mọi hạn")),
    ("overdue", gettext_lazy("Trễ hẹn")),
    ("due_soon", gettext_lazy("Sắp đến hạn")),
]
ASSIGNEES = [("", gettext_lazy("Mọi người")), ("me", gettext_lazy("Giao cho tôi"))]


class SavedFilterForm(forms.Form):
    """Reads the desk's "save a filter" form; saved_filters.save_filter checks it with the list's filters."""

    name = forms.CharField(label=gettext_lazy("Tên bộ lọc"), max_length=SAVED_FILTER_NAME_LENGTH)
    procedure = forms.ChoiceField(label=gettext_lazy("Thủ tục"), required=False)
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Trạng thái"),
        required=False,
        choices=[(s.value, s.label) for s in Status if s != Status.DRAFT],
        widget=forms.CheckboxSelectMultiple,
    )
    due = forms.ChoiceField(label=gettext_lazy("Hạn trả"), required=False, choices=DUE_WINDOWS)
    due_before = forms.DateField(
        label=gettext_lazy("Hẹn trả trước ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    assignee = forms.ChoiceField(label=gettext_lazy("Người xử lý"), required=False, choices=ASSIGNEES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        procedures = Procedure.objects.filter(active=True).order_by("code").values_list("code", "name")
        self.fields["procedure"].choices = [("", _("Mọi thủ tục"))] + [
            (code, f"{code} · {name}") for code, name in procedures
        ]

    def params(self) -> dict:
        data = self.cleaned_data
        params = {
            "procedure": data["procedure"],
            "status": data["status"],
            "assignee": data["assignee"],
            "due_before": data["due_before"].isoformat() if data["due_before"] else "",
        }
        if data["due"]:
            params[data["due"]] = "true"
        return params


@login_required
@require_http_methods(["GET", "POST"])
def saved_filter_new(request):
    """The "Lưu bộ lọc" form; a saved filter becomes a tab of the user's desk."""
    tabs = queues_for(request.user)
    if not tabs:
        raise Http404
    form = SavedFilterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = saved_filters.save_filter(request.user, form.cleaned_data["name"], form.params())
            except DomainError as error:
                form.add_error(None, error.en if (get_language() or "").startswith("en") else error.vi)
            else:
                messages.success(request, _("Đã lưu bộ lọc."))
                return redirect("desk-filter", filter_id=saved.pk)
        status = 400
    return render(
        request,
        "desk/filter_form.html",
        {"form": form, "tabs": [(q, None) for q in tabs], "saved_filters": saved_filters_of(request.user)},
        status=status,
    )


@login_required
@require_POST
def saved_filter_delete(request, filter_id: int):
    try:
        saved_filters.delete_filter(request.user, filter_id)
    except DomainError as error:
        return problem(request, error)
    messages.success(request, _("Đã xoá bộ lọc."))
    return redirect("desk")
