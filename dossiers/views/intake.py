"""Counter intake: find the procedure, tick the components, see the appointment, receive."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Agency, Role
from accounts.scoping import memberships
from config.errors import DomainError
from dossiers.lifecycle.deadlines import appointment_for, intake_warnings
from dossiers.lifecycle.population import link_down, look_up_applicant
from dossiers.lifecycle.services import receive_at_counter
from dossiers.queueing.services import link_serving_ticket
from dossiers.views.forms import IntakeForm, procedure_for_intake
from dossiers.views.ratelimit import check_user_rate
from procedures.selectors import procedures_offered_by, search_procedures

SEARCH_LIMIT = 20


def _clerk_agency(request) -> Agency:
    """The agency the clerk receives for (the one chosen when the clerk serves several)."""
    ids = sorted(a for a, r in memberships(request.user) if r == Role.CLERK)
    if not ids:
        raise Http404
    wanted = request.POST.get("agency") or request.GET.get("agency")
    chosen = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else ids[0]
    return Agency.objects.get(pk=chosen)


def _search(agency: Agency, text: str):
    if not text.strip():
        return []
    qs = search_procedures(procedures_offered_by(agency), text).select_related("sector")
    return list(qs.order_by("name")[:SEARCH_LIMIT])


def _appointment(procedure):
    try:
        return appointment_for(timezone.now(), procedure.processing_days, procedure.time_unit)
    except DomainError:
        return None


def _warnings(procedure, at=None) -> list[str]:
    """Intake outside office hours is allowed; the clerk is told from when the time is counted."""
    try:
        items = intake_warnings(at or timezone.now(), procedure.processing_days, procedure.time_unit)
    except DomainError:
        return []
    key = "message_en" if (get_language() or "").startswith("en") else "message"
    return [item[key] for item in items]


def _context(request, agency, procedure, form, text="", population=None, lookup_error=""):
    return {
        "population": population,
        "population_down": population is None and procedure is not None and link_down(),
        "lookup_error": lookup_error,
        "agency": agency,
        "q": text,
        "results": _search(agency, text) if text and procedure is None else [],
        "procedure": procedure,
        "form": form,
        "requirement_rows": [(r, form[f"provided_{r.pk}"]) for r in form.requirements] if form else [],
        "appointment": _appointment(procedure) if procedure else None,
        "warnings": _warnings(procedure) if procedure else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    agency = _clerk_agency(request)
    if request.method == "POST":
        return _receive(request, agency)
    procedure = procedure_for_intake(request.GET.get("procedure"), agency)
    form = None
    if procedure is not None:
        form = IntakeForm(
            initial={"procedure": procedure.pk, "agency": agency.pk, "sets": 1},
            requirements=procedure.requirements.all(),
        )
    return render(
        request, "desk/intake.html", _context(request, agency, procedure, form, request.GET.get("q", ""))
    )


def _receive(request, agency: Agency):
    procedure = procedure_for_intake(request.POST.get("procedure"), agency)
    if procedure is None:
        messages.error(request, _("Vui lòng chọn thủ tục."))
        return redirect("desk-intake")
    if "lookup" in request.POST:  # the "Tra cứu" button without JavaScript: the same form, prefilled
        form, population, error = _looked_up(request, agency, procedure)
        context = _context(request, agency, procedure, form, population=population, lookup_error=error)
        return render(request, "desk/intake.html", context)
    form = IntakeForm(request.POST, request.FILES, requirements=procedure.requirements.all())
    if form.is_valid():
        try:
            dossier = receive_at_counter(
                actor=request.user,
                agency=agency,
                procedure=procedure,
                applicant=form.applicant(),
                provided_requirement_ids=form.provided_ids(),
                subject=form.cleaned_data.get("subject") or "",
                sets=form.cleaned_data["sets"],
                missing=form.missing(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            form.add_domain_errors(exc.fields)
        else:
            _attach_scans(request, dossier, form)
            _link_ticket(request, dossier)
            for warning in _warnings(procedure, dossier.received_at):
                messages.warning(request, warning)
            messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("dossier-page", code=dossier.code)
    context = _context(request, agency, procedure, form)
    return render(request, "desk/intake.html", context, status=400)


def _link_ticket(request, dossier) -> None:
    """The queue ticket the clerk is serving names the dossier just received (the dossier stays anyway)."""
    try:
        ticket = link_serving_ticket(request.user, dossier)
    except DomainError as exc:
        messages.warning(request, exc.message)
    else:
        if ticket is not None:
            messages.info(request, _("Số thứ tự %(label)s đã gắn với hồ sơ.") % {"label": ticket.label})


def _attach_scans(request, dossier, form) -> None:
    """Scans chosen at the counter are stored; a refused file is reported, the dossier stays."""
    from dossiers.documents.uploads import attach_component

    for req in form.requirements:
        upload = request.FILES.get(f"file_{req.pk}")
        if upload is None:
            continue
        try:
            attach_component(dossier, req, upload, request.user, digitised=True)
        except DomainError as exc:
            messages.warning(request, f"{req.name}: {exc.message}")


@login_required
@require_GET
def procedure_search(request):
    """htmx partial: procedures matching the typed text (diacritics optional)."""
    agency = _clerk_agency(request)
    text = request.GET.get("q", "")
    return render(request, "desk/_procedure_results.html", {"results": _search(agency, text), "q": text})


@login_required
@require_GET
def intake_form(request):
    """htmx partial: the checklist, the live appointment and the applicant fields for the chosen procedure."""
    agency = _clerk_agency(request)
    procedure = procedure_for_intake(request.GET.get("procedure"), agency)
    if procedure is None:
        raise Http404
    form = IntakeForm(
        initial={"procedure": procedure.pk, "agency": agency.pk, "sets": 1},
        requirements=procedure.requirements.all(),
    )
    return render(request, "desk/_intake_form.html", _context(request, agency, procedure, form))


@login_required
@require_GET
def appointment_preview(request):
    """htmx partial: the appointment if the dossier were received now."""
    agency = _clerk_agency(request)
    procedure = procedure_for_intake(request.GET.get("procedure"), agency)
    if procedure is None:
        raise Http404
    return render(
        request,
        "desk/_appointment.html",
        {"appointment": _appointment(procedure), "procedure": procedure, "warnings": _warnings(procedure)},
    )


def _looked_up(request, agency: Agency, procedure):
    """The intake form as the clerk filled it, with the name, date of birth and address the population
    database gives for the typed ID; (form, lookup or None, error message)."""
    values = {name: request.POST.get(name, "") for name in request.POST if name != "csrfmiddlewaretoken"}
    population, error = None, ""
    try:
        check_user_rate(request, "population", settings.POPULATION_LOOKUP_RATE_LIMIT)
        population = look_up_applicant(request.user, agency, values.get("applicant_id_number", ""))
    except DomainError as exc:
        error = exc.message
    if population is not None and population.found:
        citizen = population.citizen
        values["applicant_name"] = citizen.name
        values["applicant_address"] = citizen.address
        values["applicant_birth_date"] = citizen.birth_date.isoformat() if citizen.birth_date else ""
    values.update(procedure=procedure.pk, agency=agency.pk)
    form = IntakeForm(initial=values, requirements=procedure.requirements.all())
    return form, population, error


@login_required
@require_POST
def applicant_lookup(request):
    """htmx partial: the applicant's fields prefilled from the population database for the typed ID (the
    "Tra cứu" button; without JavaScript the same button posts the whole intake form)."""
    agency = _clerk_agency(request)
    procedure = procedure_for_intake(request.POST.get("procedure"), agency)
    if procedure is None:
        raise Http404
    form, population, error = _looked_up(request, agency, procedure)
    context = _context(request, agency, procedure, form, population=population, lookup_error=error)
    return render(request, "desk/_applicant.html", context)
