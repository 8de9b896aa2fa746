"""One dossier of the citizen in the portal: status, receipt, timeline, appointment, what is asked;
answering a supplement request, withdrawing, rating, and downloading the forms and the signed result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import Conflict, DomainError, Forbidden, NotFound
from dossiers.documents.issuing import FORM_NAMES, render_form, result_document
from dossiers.documents.uploads import reusable_documents
from dossiers.lifecycle import portal as services
from dossiers.lifecycle.workflow import allowed_actions
from dossiers.models import Dossier
from dossiers.selectors import portal as selectors
from dossiers.views.documents import problem

from ..api.documents import download_response, pdf_response


def _page(request, dossier: Dossier, *, error: DomainError | None = None, status: int = 200):
    events = selectors.public_events(dossier)
    result = result_document(dossier)
    context = {
        "dossier": dossier,
        "timeline": selectors.citizen_timeline(events),
        "asked": selectors.asked_of(dossier, events),
        "documents": [d for d in selectors.citizen_documents(dossier) if d.kind == "component"],
        "result": result,
        "forms": [(n, _(FORM_NAMES[n])) for n in selectors.citizen_forms(dossier, events)],
        "can_withdraw": "withdraw" in allowed_actions(dossier, request.user),
        "can_rate": dossier.status == "returned" and not dossier.satisfaction,
        "levels": Dossier.Satisfaction.choices,
        "error": error,
    }
    return render(request, "portal/dossier.html", context, status=status)


def _own(request, code: str) -> Dossier:
    return selectors.citizen_dossier(request.user, code)


@login_required
@require_GET
def dossier_page(request, code: str):
    try:
        return _page(request, _own(request, code))
    except DomainError as error:
        return problem(request, error)


def _files(request) -> tuple[dict[int, object], dict[int, int]]:
    """The uploads (file_<requirement id>) and reused documents (reuse_<requirement id>) of the form."""
    files, reused = {}, {}
    for key, upload in request.FILES.items():
        if key.startswith("file_") and key[5:].isdigit():
            files[int(key[5:])] = upload
    for key, value in request.POST.items():
        if key.startswith("reuse_") and key[6:].isdigit() and value.isdigit():
            reused[int(key[6:])] = int(value)
    return files, reused


@login_required
@require_http_methods(["GET", "POST"])
def supplement(request, code: str):
    """GET: exactly what was asked (Mẫu 02) and by when, a file input per item; POST: send them."""
    try:
        dossier = _own(request, code)
    except DomainError as error:
        return problem(request, error)
    error = None
    if request.method == "POST":
        files, reused = _files(request)
        try:
            services.answer_supplement(
                request.user, dossier, files, reused, request.POST.get("note", "")[:2000]
            )
        except (Forbidden, NotFound) as refused:
            return problem(request, refused)
        except DomainError as refused:
            error = refused
            dossier = _own(request, code)
        else:
            messages.success(request, _("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được giải quyết."))
            return redirect("portal-dossier", code=code)
    asked = selectors.asked_of(dossier)
    by_id = {r.pk: r for r in dossier.procedure.requirements.all()}
    items = [(m, by_id.get(m.get("requirement_id"))) for m in asked.missing]
    context = {
        "dossier": dossier,
        "asked": asked,
        "items": items,
        "reusable": list(reusable_documents(dossier, request.user)[:50]),
        "error": error,
    }
    return render(request, "portal/supplement.html", context, status=error.status_code if error else 200)


def _act(request, code: str, work, done: str):
    try:
        dossier = _own(request, code)
    except DomainError as error:
        return problem(request, error)
    try:
        work(dossier)
    except (Forbidden, NotFound) as error:
        return problem(request, error)
    except DomainError as error:
        return _page(request, _own(request, code), error=error, status=error.status_code)
    messages.success(request, done)
    return redirect("portal-dossier", code=code)


@login_required
@require_POST
def withdraw(request, code: str):
    reason = request.POST.get("reason", "")
    return _act(
        request, code, lambda d: services.withdraw(request.user, d, reason), _("Đã rút hồ sơ theo yêu cầu.")
    )


@login_required
@require_POST
def rate(request, code: str):
    value = request.POST.get("satisfaction", "")
    return _act(
        request, code, lambda d: services.rate(request.user, d, value), _("Cảm ơn Ông/Bà đã đánh giá.")
    )


@login_required
@require_GET
def form_pdf(request, code: str, number: str):
    """A form the citizen received (Mẫu 01–05): the receipt, a supplement request, the refusal (Mẫu 03)."""
    try:
        dossier = _own(request, code)
        if number not in selectors.CITIZEN_FORMS:
            raise NotFound("Không có mẫu phiếu này.", f"No form {number}.")
        return pdf_response(render_form(dossier, number), f"mau-{number}-{dossier.code}.pdf")
    except Conflict as error:
        return problem(request, NotFound(error.vi, error.en))
    except DomainError as error:
        return problem(request, error)


@login_required
@require_GET
def result_pdf(request, code: str):
    """The signed electronic result."""
    try:
        doc = result_document(_own(request, code))
        if doc is None:
            raise NotFound("Hồ sơ chưa có kết quả điện tử.", "The dossier has no electronic result yet.")
        return download_response(doc)
    except DomainError as error:
        return problem(request, error)


@login_required
@require_GET
def document(request, pk: int):
    """A component the citizen gave, or the signed result, of their own dossier."""
    try:
        return download_response(selectors.citizen_document(request.user, pk))
    except DomainError as error:
        return problem(request, error)
