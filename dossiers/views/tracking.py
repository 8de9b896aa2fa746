"""Public tracking pages for citizens: look up by code and PIN, download the result, rate the service."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from dossiers.public.tracking import rate_satisfaction, result_document, track

from ..api.documents import download_response
from ..models import Dossier
from .ratelimit import check_rate


def _form_values(data) -> tuple[str, str]:
    return (data.get("code") or "").strip().upper()[:40], (data.get("pin") or "").strip()[:12]


def _render(request, *, code="", pin="", info=None, error=None, notice="", status=200):
    context = {
        "code": code,
        "pin": pin if info is not None else "",
        "info": info,
        "error": error,
        "notice": notice,
        "ratings": Dossier.Satisfaction.choices,
    }
    return render(request, "tracking/track.html", context, status=status)


@require_http_methods(["GET", "POST"])
def track_page(request):
    """The form (the receipt's QR opens it with ?code=), and the dossier once code and PIN are given."""
    code, pin = _form_values(request.POST if request.method == "POST" else request.GET)
    if not (code and pin) and request.method == "GET":
        return _render(request, code=code)
    try:
        check_rate(request)
        info = track(code, pin)
    except DomainError as exc:
        return _render(request, code=code, error=exc, status=exc.status_code)
    return _render(request, code=code, pin=pin, info=info)


@require_POST
def rate(request):
    code, pin = _form_values(request.POST)
    try:
        check_rate(request)
        rate_satisfaction(code, pin, request.POST.get("satisfaction", ""))
        info = track(code, pin)
    except DomainError as exc:
        info = None
        try:
            info = track(code, pin)
        except DomainError:
            pass
        return _render(request, code=code, pin=pin, info=info, error=exc, status=exc.status_code)
    return _render(request, code=code, pin=pin, info=info, notice=gettext_noop("Cảm ơn bạn đã đánh giá."))


@require_GET
def result_pdf(request, code: str):
    _code, pin = _form_values(request.GET)
    try:
        check_rate(request)
        return download_response(result_document(code, pin))
    except DomainError as exc:
        return _render(request, code=code.upper()[:40], error=exc, status=exc.status_code)
