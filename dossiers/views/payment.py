"""The applicant's payment pages (/thanh-toan/) and the platform's confirmation callback."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.clientip import client_ip_address
from config.errors import DomainError
from dossiers.lifecycle import payments
from dossiers.models import PaymentNotice, PaymentTransaction, Status

State = PaymentTransaction.State
# The callback's answer codes, as the platform reads them ("00": received, do not send again).
ANSWER_CODES = {
    "malformed": "99",
    "merchant": "97",
    "checksum": "97",
    "unknown": "01",
    "amount": "04",
    "reference": "02",
    "replay": "02",
}


def _pay_page(request, dossier, *, error=None, status=200):
    latest = dossier.payments.order_by("-id").first()
    context = {
        "dossier": dossier,
        "latest": latest,
        "payable": dossier.status == Status.AWAITING_PAYMENT and dossier.fee_amount > 0,
        "error": error,
    }
    response = render(request, "payment/pay.html", context, status=status)
    # The form's answer sends the browser on to the platform's page: the policy's form-action allows it.
    parts = urlsplit(settings.PAYMENT_URL)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


@login_required
@require_http_methods(["GET", "POST"])
def pay(request, code: str):
    """GET: the fee to pay and the latest attempt; POST: to the platform's payment page."""
    try:
        dossier = payments.payable_dossier(code, request.user)
    except DomainError as exc:
        return render(request, "payment/problem.html", {"error": exc}, status=exc.status_code)
    if request.method == "GET":
        return _pay_page(request, dossier)
    try:
        txn = payments.start_payment(code, request.user)
    except DomainError as exc:
        dossier = payments.payable_dossier(code, request.user)  # as the attempt left it
        return _pay_page(request, dossier, error=exc, status=exc.status_code)
    return HttpResponseRedirect(txn.payment_url)


@login_required
@require_GET
def payment_return(request, reference: str):
    """Where the platform sends the payer back. What the address says is not believed: the page shows the
    transaction as the verified confirmations left it ("đang xác nhận" until one came)."""
    try:
        txn = payments.transaction_of(reference, request.user)
    except DomainError as exc:
        return render(request, "payment/problem.html", {"error": exc}, status=exc.status_code)
    return render(request, "payment/return.html", {"txn": txn, "dossier": txn.dossier, "State": State})


@csrf_exempt  # the platform posts here, server to server; the MaXacThuc checksum authenticates it
@require_POST
def payment_notice(request):
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = {"raw": request.body[:2000].decode(errors="replace")}
    result = payments.accept(body, source=PaymentNotice.Source.NOTICE, remote_addr=client_ip_address(request))
    if result.refused:
        reason = result.notice.reason
        return JsonResponse({"error_code": ANSWER_CODES.get(reason, "99"), "message": reason}, status=400)
    return JsonResponse({"error_code": "00", "message": result.notice.outcome})
