"""Filing online in the portal: a draft kept on the server as the citizen goes (details, then each component
uploaded or reused), resumed from any device, then submitted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Agency
from config.errors import DomainError, Forbidden, InvalidInput, NotFound
from dossiers.lifecycle import portal as services
from dossiers.selectors import portal as selectors
from dossiers.views.documents import problem


def _agency(value) -> Agency:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = 0
    agency = Agency.objects.filter(pk=pk, active=True).first()
    if agency is None:
        raise InvalidInput("Cần chọn nơi nộp hồ sơ.", "Choose where to file.")
    return agency


@login_required
@require_POST
def start(request, procedure_code: str):
    try:
        procedure = selectors.catalogue_procedure(procedure_code)
        agency = _agency(request.POST.get("agency"))
        draft = services.start_draft(request.user, procedure, agency)
    except NotFound as error:
        return problem(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal-procedure", procedure_code=procedure_code)
    return redirect("portal-draft", draft_id=draft.pk)


def _draft_page(request, draft, *, error: DomainError | None = None, status: int = 200):
    context = {
        "draft": draft,
        "components": selectors.draft_with_components(draft),
        "reusable": services.draft_reusable(request.user, draft),
        "identity_locked": bool(request.user.national_id),
        "error": error,
    }
    return render(request, "portal/draft.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request, draft_id: int):
    """GET: the draft as saved; POST: save the details typed so far (the form's "save" button)."""
    try:
        found = selectors.citizen_draft(request.user, draft_id)
        if request.method == "POST":
            services.save_draft(request.user, found, request.POST)
            messages.success(request, _("Đã lưu hồ sơ nháp."))
            return redirect("portal-draft", draft_id=found.pk)
    except (Forbidden, NotFound) as error:
        return problem(request, error)
    except DomainError as error:
        return _draft_page(request, selectors.citizen_draft(request.user, draft_id), error=error, status=400)
    return _draft_page(request, found)


def _on_draft(request, draft_id: int, work, done: str):
    try:
        found = selectors.citizen_draft(request.user, draft_id)
        work(found)
        messages.success(request, done)
    except (Forbidden, NotFound) as error:
        return problem(request, error)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("portal-draft", draft_id=draft_id)


@login_required
@require_POST
def upload(request, draft_id: int):
    post = request.POST
    return _on_draft(
        request,
        draft_id,
        lambda d: services.attach_to_draft(
            request.user, d, post.get("requirement"), request.FILES.get("file")
        ),
        _("Đã tải lên tệp."),
    )


@login_required
@require_POST
def reuse(request, draft_id: int):
    post = request.POST
    return _on_draft(
        request,
        draft_id,
        lambda d: services.reuse_in_draft(request.user, d, post.get("requirement"), post.get("document")),
        _("Đã dùng lại giấy tờ đã số hoá."),
    )


@login_required
@require_POST
def remove(request, draft_id: int):
    return _on_draft(
        request,
        draft_id,
        lambda d: services.remove_from_draft(request.user, d, request.POST.get("requirement")),
        _("Đã bỏ tệp."),
    )


@login_required
@require_POST
def discard(request, draft_id: int):
    try:
        services.delete_draft(request.user, selectors.citizen_draft(request.user, draft_id))
    except DomainError as error:
        return problem(request, error)
    messages.success(request, _("Đã xoá hồ sơ nháp."))
    return redirect("portal-home")


@login_required
@require_POST
def submit(request, draft_id: int):
    try:
        found = selectors.citizen_draft(request.user, draft_id)
        services.save_draft(request.user, found, request.POST)  # what was typed since the last save
        dossier = services.submit_draft(request.user, found)
    except (Forbidden, NotFound) as error:
        return problem(request, error)
    except DomainError as error:
        return _draft_page(request, selectors.citizen_draft(request.user, draft_id), error=error, status=400)
    messages.success(request, _("Đã nộp hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("portal-dossier", code=dossier.code)
