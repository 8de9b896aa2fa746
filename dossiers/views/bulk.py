"""The desk's bulk actions on the dossiers ticked in a queue: the inputs page, then the outcome of every
dossier; printing gives one PDF. Plain form posts (the checkboxes belong to the queue's form), no script."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config.errors import DomainError, InvalidInput
from dossiers.documents import batch
from dossiers.lifecycle import bulk
from dossiers.lifecycle.workflow import ACTIONS
from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from dossiers.selectors.queues import queues_for

from ..api.documents import pdf_response
from .documents import problem
from .forms import ActionForm, selection_candidates

PRINT_LABELS = {
    "print_receipts": _("In giấy tiếp nhận (Mẫu 01)"),
    "print_register": _("In sổ theo dõi (Mẫu 07)"),
}


def offered(user, dossiers: list[Dossier]) -> list[tuple[str, str]]:
    """(name, label) of the bulk actions a page of rows offers: the workflow's the user may perform on some
    of them (lifecycle.bulk.offered_actions), and printing once one of them was received."""
    names = [(n, ACTIONS[n].label) for n in bulk.offered_actions(user, dossiers)]
    if any(d.received_at for d in dossiers):
        names += list(PRINT_LABELS.items())
    return names


def _label(name: str) -> str:
    return PRINT_LABELS[name] if name in PRINT_LABELS else ACTIONS[name].label


def _back(request) -> str:
    target = request.POST.get("back") or "/desk/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/desk/"
    return target


def _selected_rows(user, codes: list[str]) -> list[Dossier]:
    found = dossiers_visible_to(user).filter(code__in=codes).select_related("procedure", "current_step")
    by_code = {d.code: d for d in found}
    return [by_code[c] for c in codes if c in by_code]


def _inputs_page(request, name: str, codes: list[str], form=None, error=None, status=200):
    rows = _selected_rows(request.user, codes)
    if form is None:
        candidates = selection_candidates([d.pk for d in rows]) if name == "forward" else []
        form = ActionForm(name, None, candidates=candidates, auto_id=f"id_{name}_%s")
    context = {
        "action": name,
        "label": _label(name),
        "codes": codes,
        "rows": rows,
        "unseen": len(codes) - len(rows),
        "form": form,
        "error": error,
        "back": _back(request),
    }
    return render(request, "desk/bulk_inputs.html", context, status=status)


def _outcome_page(request, name: str, outcomes: list[bulk.Outcome], *, printable: list[str] = ()):
    rows = {d.code: d for d in _selected_rows(request.user, [o.code for o in outcomes])}
    context = {
        "action": name,
        "label": _label(name),
        "outcomes": [(o, rows.get(o.code)) for o in outcomes],
        "done": sum(o.ok for o in outcomes),
        "refused": sum(not o.ok for o in outcomes),
        "printable": list(printable),
        "back": _back(request),
    }
    return render(request, "desk/bulk_outcome.html", context)


def _print(request, name: str, codes: list[str]):
    printed = batch.print_many(request.user, name, codes)
    if printed.pdf is not None and not printed.refused:
        return pdf_response(printed.pdf, printed.filename)
    # Some cannot be printed: say which and why, and offer the others (nothing is left out unsaid).
    printable = [o.code for o in printed.outcomes if o.ok]
    return _outcome_page(request, name, printed.outcomes, printable=printable)


@login_required
@require_POST
def bulk_action(request):
    """`action` on the ticked `codes`: printing answers the PDF; a workflow action first shows its inputs
    (the recipient of a forward, the method of a return), then, posted with `confirm`, the outcomes."""
    if not queues_for(request.user):
        raise Http404
    name = request.POST.get("action", "")
    codes = request.POST.getlist("codes")
    try:
        if name in batch.PRINTS:
            return _print(request, name, codes)
        bulk.bulk_action(name)
        codes = bulk.clean_codes(codes)
    except DomainError as error:
        return problem(request, error)
    if "confirm" not in request.POST:
        return _inputs_page(request, name, codes)
    payload = ActionForm(name, None, request.POST, candidates=[]).payload()
    try:
        outcomes = bulk.perform_many(codes, name, request.user, payload)
    except InvalidInput as error:  # inputs wrong for every dossier alike: nothing was done
        form = ActionForm(
            name, None, request.POST, candidates=_candidates(request, name, codes), auto_id=f"id_{name}_%s"
        )
        form.add_domain_errors(error.fields)
        return _inputs_page(request, name, codes, form=form, error=error, status=400)
    except DomainError as error:
        return problem(request, error)
    return _outcome_page(request, name, outcomes)


def _candidates(request, name: str, codes: list[str]) -> list[tuple[str, str]]:
    if name != "forward":
        return []
    return selection_candidates([d.pk for d in _selected_rows(request.user, codes)])
