"""Public queue pages: the kiosk that issues numbers, the printable slip that is also the waiting status, and
the hall display. No sign-in: the agency is in the URL, a ticket is found by its random token alone.

The display and the status refresh by htmx polling of a small fragment (every 3 s and 5 s): each poll is one
short request, so it works behind gunicorn's sync workers, where a server-sent event stream would hold a
worker per open screen; without JavaScript the page reloads itself (meta refresh)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import DomainError
from dossiers.queueing import selectors
from dossiers.queueing.services import issue_ticket

DISPLAY_POLL_SECONDS = 3
STATUS_POLL_SECONDS = 5


def _agency(agency_code: str):
    agency = selectors.kiosk_agency(agency_code)
    if agency is None:
        raise Http404
    return agency


@require_http_methods(["GET", "POST"])
def kiosk(request, agency_code: str):
    """One large button per service area; pressing one issues the next number of that area."""
    agency = _agency(agency_code)
    error, status = None, 200
    if request.method == "POST":
        try:
            ticket = issue_ticket(request.POST.get("area") or "", agency_id=agency.pk)
        except DomainError as exc:
            error, status = exc, exc.status_code
        else:
            return redirect(reverse("ticket-status", args=[ticket.token]) + "?kiosk=1")
    return render(
        request,
        "tickets/kiosk.html",
        {"agency": agency, "areas": selectors.open_areas(agency), "error": error},
        status=status,
    )


def _status_context(token: str) -> dict:
    ticket = selectors.ticket_by_token(token)
    if ticket is None:
        raise Http404
    return {"ticket": ticket, "ahead": selectors.ahead_of(ticket), "poll": STATUS_POLL_SECONDS}


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


@require_GET
def ticket_status(request, token: str):
    """The slip (printable, with a QR code to this same page) and the live waiting status of one ticket."""
    context = _status_context(token)
    url = f"{settings.PUBLIC_BASE_URL}{reverse('ticket-status', args=[token])}"
    context.update({"qr": _qr_svg(url), "from_kiosk": request.GET.get("kiosk") == "1"})
    return render(request, "tickets/status.html", context)


@require_GET
def ticket_status_fragment(request, token: str):
    return render(request, "tickets/_status.html", _status_context(token))


@require_GET
def display(request, agency_code: str):
    agency = _agency(agency_code)
    return render(
        request,
        "tickets/display.html",
        {"agency": agency, "board": selectors.display_board(agency), "poll": DISPLAY_POLL_SECONDS},
    )


@require_GET
def display_board(request, agency_code: str):
    agency = _agency(agency_code)
    return render(
        request,
        "tickets/_board.html",
        {"agency": agency, "board": selectors.display_board(agency), "poll": DISPLAY_POLL_SECONDS},
    )
