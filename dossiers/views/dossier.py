"""The dossier page (applicant, components, timeline, due date, allowed actions) and the action forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import Conflict, DomainError, NotFound
from dossiers.documents.issuing import FORM_NAMES, forms_that_apply
from dossiers.documents.results import template_for
from dossiers.lifecycle.clock import clock_note
from dossiers.lifecycle.labels import event_label
from dossiers.lifecycle.predicates import is_appointment_due_soon, is_past_appointment
from dossiers.lifecycle.services import perform
from dossiers.lifecycle.supplements import open_request
from dossiers.lifecycle.workflow import ACTIONS, allowed_actions, may_attach_now, may_preview_result
from dossiers.views.forms import ActionForm
from procedures.calendar import calendar, local

from ..models import Document, ResultDraft, Status
from ..models.dossier import RUNNING
from ..selectors import dossier_detail, dossier_history


def _load(request, code: str):
    try:
        return dossier_detail(request.user, code)
    except NotFound:
        raise Http404 from None


def days_left(due_at, now) -> int | None:
    """Working days from today to the appointment's date; negative (at least one) once that date has passed.
    Whether the dossier is past its appointment is the lifecycle's rule (predicates.is_past_appointment);
    this only counts the days shown beside it."""
    if due_at is None:
        return None
    today, due = local(now).date(), local(due_at).date()
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def printable_forms(dossier, actions=None) -> list[tuple[str, str]]:
    """The forms that apply to the dossier now (issuing.forms_that_apply), with their translated titles."""
    return [(n, _(FORM_NAMES[n])) for n in forms_that_apply(dossier, actions)]


def _page(
    request,
    dossier,
    *,
    action_form: ActionForm | None = None,
    error: DomainError | None = None,
    status: int = 200,
):
    now = timezone.now()
    names = allowed_actions(dossier, request.user)
    draft = ResultDraft.objects.filter(dossier=dossier).select_related("author").order_by("-version").first()
    initial = {"draft_version": draft.version if draft else None}
    forms = []
    for name in names:
        if action_form is not None and action_form.action == name:
            forms.append(action_form)
        else:
            initial_of = draft.content if name == "draft_result" and draft else initial
            forms.append(ActionForm(name, dossier, auto_id=f"id_{name}_%s", initial=initial_of))
    events = list(dossier_history(dossier))
    supplement = next((f.supplement_request for f in forms if f.supplement_request), None)
    documents = list(Document.objects.filter(dossier=dossier).order_by("kind", "id"))
    by_requirement: dict[int, list[Document]] = {}
    for doc in documents:
        if doc.kind == Document.Kind.COMPONENT and doc.requirement_id:
            by_requirement.setdefault(doc.requirement_id, []).append(doc)
    components = [(r, by_requirement.get(r.pk, [])) for r in dossier.procedure.requirements.all()]
    # Days are counted only while the clock runs: a paused dossier's appointment moves on resumption.
    left = days_left(dossier.due_at, now) if dossier.status in RUNNING else None
    past = is_past_appointment(dossier, now)
    context = {
        "dossier": dossier,
        "components": components,
        "other_documents": [
            d for d in documents if d.kind != Document.Kind.COMPONENT or not d.requirement_id
        ],
        "events": [
            (e, event_label(e.action), _status_label(e), clock_note(e.action, e.payload)) for e in events
        ],
        "supplement_request": supplement or open_request(dossier),
        "days_left": left,
        "days_late": -left if left is not None and left < 0 else 0,
        "past_appointment": past,
        "appointment_due_soon": is_appointment_due_soon(dossier, now),
        "can_upload": may_attach_now(dossier, request.user, component=True),
        # The draft's own card holds its form; the other actions are listed in table order.
        "actions": [(ACTIONS[f.action], f) for f in forms if f.action != "draft_result"],
        **_draft_context(dossier, request.user, draft, forms, events),
        "open_action": action_form.action if action_form is not None else "",
        "error": error,
        "conflict": isinstance(error, Conflict),
        "forms": printable_forms(dossier, [e.action for e in events]),
    }
    return render(request, "desk/dossier.html", context, status=status)


def _draft_context(dossier, user, draft, forms, events) -> dict:
    """The result's draft card: the latest version, the leader's last note when it came after it, the
    preview link for those who may read it, and the kind's fields when the user may write a new version."""
    template = template_for(dossier.procedure.result_kind)
    form = next((f for f in forms if f.action == "draft_result"), None)
    sent_back = next((e for e in reversed(events) if e.action == "send_back"), None)
    if sent_back is not None and draft is not None and draft.created_at > sent_back.at:
        sent_back = None  # the handler has written a new version since
    return {
        "draft": draft,
        "draft_template": template,
        "draft_form": form,
        "draft_fields": [form[f.name] for f in template.fields] if form else [],
        "draft_sent_back": sent_back,
        "can_preview": draft is not None and may_preview_result(dossier, user),
        "shows_draft": form is not None or (draft is not None and may_preview_result(dossier, user)),
    }


def _status_label(event) -> str:
    if event.to_status and event.to_status != event.from_status and event.to_status in Status.values:
        return Status(event.to_status).label
    return ""


@login_required
@require_GET
def dossier_page(request, code: str):
    return _page(request, _load(request, code))


@login_required
@require_http_methods(["GET", "POST"])
def dossier_action(request, code: str, action: str):
    """GET: the action's own page; POST: perform it, then back to the dossier page."""
    dossier = _load(request, code)
    if action not in ACTIONS:
        raise Http404
    if request.method == "GET":
        return _action_page(request, dossier, ActionForm(action, dossier))
    form = ActionForm(action, dossier, request.POST, auto_id=f"id_{action}_%s")
    try:
        perform(dossier.code, action, request.user, form.payload())
    except DomainError as exc:
        form.add_domain_errors(exc.fields)
        if isinstance(exc, Conflict):
            dossier = _load(request, code)  # show the dossier as it is now
        return _page(request, dossier, action_form=form, error=exc, status=exc.status_code)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": ACTIONS[action].label})
    return redirect("dossier-page", code=dossier.code)


def _action_page(request, dossier, form: ActionForm):
    if form.action not in allowed_actions(dossier, request.user):
        conflict = Conflict(
            "Thao tác này không còn khả dụng với hồ sơ. Vui lòng tải lại trang hồ sơ.",
            "This action is no longer available. Please reload the dossier.",
        )
        return _page(request, dossier, error=conflict, status=409)
    return render(
        request, "desk/action.html", {"dossier": dossier, "action": ACTIONS[form.action], "form": form}
    )
