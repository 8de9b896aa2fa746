"""The citizen portal's home ("Hồ sơ của tôi": dossiers, drafts, what is asked) and the online catalogue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Agency
from config.errors import DomainError
from dossiers.selectors import portal as selectors
from dossiers.views.documents import problem

CATALOGUE_PAGE = 20
SEARCH_LENGTH = 100


@login_required
@require_GET
def home(request):
    """Every dossier of the citizen with its status and appointment, what is asked of them, and drafts."""
    page = Paginator(selectors.citizen_dossiers(request.user), 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "drafts": list(selectors.citizen_drafts(request.user)[:20]),
        "asked_statuses": ("supplement_requested", "awaiting_payment"),
    }
    return render(request, "portal/home.html", context)


@require_GET
def catalogue(request):
    """Procedures offered online, searched without diacritics ("dang ky khai sinh")."""
    text = (request.GET.get("q") or "").replace("\x00", "").strip()[:SEARCH_LENGTH]
    page = Paginator(selectors.online_catalogue(text), CATALOGUE_PAGE).get_page(request.GET.get("page"))
    rows = [(p, selectors.fee_lines(p)) for p in page.object_list]
    return render(request, "portal/catalogue.html", {"page": page, "rows": rows, "q": text})


@require_GET
def procedure(request, procedure_code: str):
    """One procedure: online level, time, fees with the online discount, components; where to file it."""
    try:
        found = selectors.catalogue_procedure(procedure_code)
    except DomainError as error:
        return problem(request, error)
    provinces = list(selectors.provinces())
    chosen = _chosen_province(request, provinces)
    context = {
        "procedure": found,
        "fees": selectors.fee_lines(found),
        "provinces": provinces,
        "province": chosen,
        "agencies": selectors.receiving_agencies(found, chosen),
    }
    return render(request, "portal/procedure.html", context)


def _chosen_province(request, provinces: list[Agency]) -> Agency | None:
    wanted = request.GET.get("province") or ""
    found = next((p for p in provinces if str(p.pk) == wanted), None)
    if found is None and len(provinces) == 1:
        return provinces[0]
    return found
