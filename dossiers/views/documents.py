"""HTML views for documents: print forms, upload and download files, the Mẫu 07 register, public verify."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import DomainError, Forbidden, InvalidInput, NotFound
from dossiers.documents import issuing as documents
from dossiers.documents import registers, uploads

from ..api.documents import download_response, pdf_response
from .ratelimit import check_rate


def problem(request, error: DomainError) -> HttpResponse:
    """A domain refusal as a page with the same status the API would give."""
    # "Back" is a plain link to the page the user came from (a javascript: link would break under the CSP).
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return render(request, "verify/problem.html", {"error": error, "back": back}, status=error.status_code)


def _back(request, code: str):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or f"/dossiers/{code}/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = f"/dossiers/{code}/"
    return redirect(target)


@login_required
def form_pdf(request, code: str, number: str):
    try:
        dossier = documents.visible_dossier(request.user, code)
        return pdf_response(documents.render_form(dossier, number), f"mau-{number}-{dossier.code}.pdf")
    except DomainError as error:
        return problem(request, error)


def version_param(request) -> int | None:
    """The ?version= of a draft preview: a whole number, or absent for the latest."""
    raw = request.GET.get("version", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(
            "Phiên bản dự thảo phải là số nguyên dương.", "The draft version must be a positive whole number."
        )
    return int(raw)


@login_required
def result_draft_pdf(request, code: str):
    """The result's draft printed as it will be issued, for the handler and the leader who signs it."""
    try:
        pdf, draft = documents.preview_result_draft(request.user, code, version_param(request))
    except DomainError as error:
        return problem(request, error)
    response = pdf_response(pdf, f"du-thao-{code}-v{draft.version}.pdf")
    response["X-Draft-Version"] = str(draft.version)
    return response


@login_required
def result_pdf(request, code: str):
    """The signed result, for printing when the clerk returns it in person."""
    try:
        doc = documents.result_document(documents.visible_dossier(request.user, code))
        if doc is None:
            raise InvalidInput("Hồ sơ chưa có kết quả điện tử.", "The dossier has no electronic result yet.")
        return download_response(doc)
    except DomainError as error:
        return problem(request, error)


@login_required
@require_POST
def upload(request, code: str):
    try:
        dossier = documents.visible_dossier(request.user, code)
        if "file" not in request.FILES:
            raise InvalidInput("Chưa chọn tệp.", "No file chosen.")
        uploads.attach_component(
            dossier,
            uploads.requirement_for(dossier, request.POST.get("requirement") or None),
            request.FILES["file"],
            request.user,
            digitised=request.POST.get("digitised", "1") not in ("0", "false", ""),
        )
        messages.success(request, _("Đã đính kèm tệp."))
    except (Forbidden, NotFound) as error:
        return problem(request, error)  # nothing to try again on the dossier page: refuse outright
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, code)


def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def reuse(request, code: str):
    try:
        dossier = documents.visible_dossier(request.user, code)
        shown = None
        if request.POST.get("source"):  # the citizen shows another dossier's receipt (code and PIN)
            try:
                pin = request.POST.get("pin") or ""
                shown = uploads.presented_dossier(dossier, request.POST["source"], pin)
            except NotFound as wrong:  # a mistyped PIN is a message on the dossier page, not a missing page
                raise InvalidInput(wrong.vi, wrong.en, code=wrong.code) from None
        reusable = uploads.reusable_documents(dossier, request.user, presented=shown)
        source = reusable.filter(pk=_int_or_zero(request.POST.get("document"))).first()
        if source is None:
            raise InvalidInput("Tài liệu không thể tái sử dụng.", "The document cannot be reused.")
        uploads.reuse_document(
            dossier,
            source,
            uploads.requirement_for(dossier, request.POST.get("requirement") or None),
            request.user,
            presented=shown,
        )
        messages.success(request, _("Đã tái sử dụng dữ liệu số."))
    except (Forbidden, NotFound) as error:
        return problem(request, error)  # nothing to try again on the dossier page: refuse outright
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, code)


@login_required
def download(request, pk: int):
    try:
        return download_response(documents.visible_document(request.user, pk))
    except DomainError as error:
        return problem(request, error)


@login_required
def register(request, fmt: str):
    q = request.GET
    try:
        agency, start, end = registers.register_period(
            request.user, q.get("agency"), q.get("from"), q.get("to")
        )
    except DomainError as error:
        return problem(request, error)
    name = registers.register_filename(agency, start, end)
    if fmt == "xlsx":
        response = HttpResponse(
            registers.register_xlsx(agency, start, end),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return pdf_response(registers.register_pdf(agency, start, end), f"{name}.pdf")


def verify_token(request, token: str):
    """Public: the signature of a result, with the dossier it belongs to, by the token printed on it."""
    try:
        check_rate(request, "verify")
        result = documents.verification_for_token(token)
    except DomainError as error:
        context = {"error": error, "token": token}
        return render(request, "verify/verify.html", context, status=error.status_code)
    return render(request, "verify/verify.html", {"result": result, "token": token})


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    """Public: check an uploaded PDF; a changed file is reported invalid."""
    if request.method == "GET":
        token = quote((request.GET.get("token") or "").strip(), safe="")
        return redirect(f"/verify/{token}/") if token else render(request, "verify/verify.html", {})
    try:
        check_rate(request, "verify")
        if "file" not in request.FILES:
            raise InvalidInput("Chưa chọn tệp PDF.", "No PDF chosen.")
        result = documents.verify_upload(request.FILES["file"])
    except DomainError as error:
        return render(request, "verify/verify.html", {"error": error}, status=error.status_code)
    return render(request, "verify/verify.html", {"result": result, "uploaded": True})
