"""Fees paid online, end to end over HTTP: the platform's simulator, our callback on a live server, and
nothing paid without a verified confirmation."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
import requests

from dossiers.lifecycle.payments import recheck_pending
from dossiers.models import Dossier, DossierEvent, PaymentNotice, PaymentTransaction, Status
from dossiers.tasks.payments import recheck_payments
from seeds.simulators.payment import NOTICE_FIELDS, sign, stamp
from tests.simulators import set_fault

from .conftest import ONLINE_FEE, client_of, notices, pay_at_platform, set_ipn, start

State = PaymentTransaction.State


@pytest.fixture
def live(live_server, settings, flushable_event_log, platform):
    settings.PAYMENT_RETURN_BASE_URL = live_server.url
    return live_server


def confirmations(dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier, action="confirm_payment"))


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_the_applicant_pays_online_and_the_verified_notice_confirms_once(
    live, platform, dossier, citizen, clerk
):
    assert (dossier.status, dossier.fee_amount) == (
        Status.AWAITING_PAYMENT,
        ONLINE_FEE,
    )  # catalogue, less 50 %
    browser = client_of(citizen)
    assert "10" in browser.get(f"/thanh-toan/{dossier.code}/").content.decode()

    txn = start(browser, dossier)
    back = pay_at_platform(txn)

    [sent] = notices(platform)
    assert sent["delivered"] and sent["status"] == 200 and '"00"' in sent["answer"]
    dossier = fresh(dossier)
    txn.refresh_from_db()
    assert (dossier.status, dossier.paid_online, txn.state) == (Status.PROCESSING, True, State.PAID)
    assert txn.confirmation["MaXacThuc"] == sent["body"]["MaXacThuc"] and txn.paid_at is not None
    [event] = confirmations(dossier)
    assert (
        event.actor is None and event.payload["transaction"] == txn.code and event.payload["online"] is True
    )
    page = browser.get(path_of(back))
    assert page.status_code == 200 and 'data-state="paid"' in page.content.decode()
    # the desk sees it paid, the clerk has nothing left to confirm
    assert client_of(clerk).get(f"/dossiers/{dossier.code}/").status_code == 200


def test_the_way_back_alone_pays_nothing_it_shows_confirming(live, platform, dossier, citizen):
    set_ipn(platform, "drop")
    browser = client_of(citizen)
    txn = start(browser, dossier)
    back = pay_at_platform(txn)
    assert "TrangThai=00" in back  # the address says paid

    page = browser.get(path_of(back)).content.decode()
    assert 'data-state="pending"' in page and "Đang xác nhận" in page
    dossier = fresh(dossier)
    assert (dossier.status, dossier.paid_online) == (Status.AWAITING_PAYMENT, False)
    assert confirmations(dossier) == []


def test_a_lost_notice_is_caught_by_the_periodic_recheck(live, platform, dossier, citizen, settings):
    settings.PAYMENT_RECHECK_AFTER = 0
    set_ipn(platform, "drop")
    browser = client_of(citizen)
    txn = start(browser, dossier)
    back = pay_at_platform(txn)

    assert recheck_payments() == {"checked": 1, "confirmed": 1, "errors": 0}
    dossier = fresh(dossier)
    assert (dossier.status, dossier.paid_online) == (Status.PROCESSING, True)
    assert len(confirmations(dossier)) == 1
    assert 'data-state="paid"' in browser.get(path_of(back)).content.decode()
    assert recheck_pending() == {"checked": 0, "confirmed": 0, "errors": 0}  # nothing open is left
    [query] = PaymentNotice.objects.filter(source="query")
    assert query.outcome == "confirmed" and query.transaction_id == txn.pk


def test_duplicate_notices_confirm_once(live, platform, dossier, citizen):
    txn = start(client_of(citizen), dossier)
    pay_at_platform(txn)
    body = notices(platform)[0]["body"]
    for _ in range(3):
        again = requests.post(f"{live.url}/thanh-toan/thong-bao/", json=body, timeout=10)
        assert (again.status_code, again.json()["error_code"]) == (200, "00")
    assert len(confirmations(dossier)) == 1
    outcomes = list(
        PaymentNotice.objects.filter(transaction=txn).order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == ["confirmed", "duplicate", "duplicate", "duplicate"]


def test_concurrent_notices_confirm_once(live, platform, dossier, citizen):
    set_ipn(platform, "drop")
    txn = start(client_of(citizen), dossier)
    pay_at_platform(txn)
    body = notices(platform)[0]["body"]
    answers, gate = [], threading.Barrier(6)

    def post():
        gate.wait()
        answers.append(requests.post(f"{live.url}/thanh-toan/thong-bao/", json=body, timeout=20).json())

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [a["error_code"] for a in answers] == ["00"] * 6
    assert len(confirmations(dossier)) == 1
    outcomes = sorted(PaymentNotice.objects.filter(transaction=txn).values_list("outcome", flat=True))
    assert outcomes == ["confirmed"] + ["duplicate"] * 5


def test_the_platform_down_or_slow_tells_the_applicant_and_loses_nothing(
    platform, dossier, citizen, clerk, settings
):
    settings.NATIONAL_TIMEOUT = 0.5
    settings.NATIONAL_BREAKER_FAILURES = 100
    browser = client_of(citizen)
    for mode, kw in (("error", {"status": 503}), ("slow", {"seconds": 2}), ("garbage", {})):
        set_fault(platform, mode, **kw)
        response = browser.post(f"/thanh-toan/{dossier.code}/")
        text = response.content.decode()
        assert response.status_code == 503 and "Nền tảng thanh toán đang tạm gián đoạn" in text, mode
        assert client_of(clerk).get(f"/dossiers/{dossier.code}/").status_code == 200  # the desk goes on
    [txn] = PaymentTransaction.objects.filter(dossier=dossier)
    assert txn.state == State.INITIATED  # kept for the retry
    set_fault(platform, "ok")
    assert start(browser, dossier).pk == txn.pk  # the same transaction, now at the platform
    dossier = fresh(dossier)
    assert dossier.status == Status.AWAITING_PAYMENT


def test_the_english_message_when_the_platform_is_down(platform, dossier, citizen, settings):
    set_fault(platform, "error")
    browser = client_of(citizen)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = browser.post(f"/thanh-toan/{dossier.code}/")
    assert (
        response.status_code == 503 and "The payment platform is not answering" in response.content.decode()
    )


def test_another_citizen_can_neither_start_nor_see_the_payment(platform, dossier, citizen, stranger):
    txn = start(client_of(citizen), dossier)
    other = client_of(stranger)
    for method, url in (
        ("get", f"/thanh-toan/{dossier.code}/"),
        ("post", f"/thanh-toan/{dossier.code}/"),
        ("get", f"/thanh-toan/ket-qua/{txn.code}/"),
        ("get", f"/api/v1/payments/{txn.code}/"),
        ("post", f"/api/v1/dossiers/{dossier.code}/payments/"),
    ):
        response = getattr(other, method)(url)
        assert response.status_code == 404, (method, url)
        text = response.content.decode()
        assert dossier.applicant_name not in text and txn.payment_url not in text
    assert PaymentTransaction.objects.count() == 1


def test_the_api_starts_and_reads_the_applicants_payment(platform, dossier, citizen):
    api = client_of(citizen)
    started = api.post(f"/api/v1/dossiers/{dossier.code}/payments/")
    assert started.status_code == 200, started.content
    body = started.json()
    assert (body["state"], body["amount"], body["dossier_code"]) == ("pending", ONLINE_FEE, dossier.code)
    assert body["payment_url"].startswith(platform.url)
    assert api.get(f"/api/v1/payments/{body['code']}/").json()["state"] == "pending"
    assert api.post(f"/api/v1/dossiers/{dossier.code}/payments/").json()["code"] == body["code"]  # same one


def test_only_a_dossier_awaiting_payment_can_be_paid(platform, paid_procedure, ward, clerk, citizen):
    from tests import factories

    d = factories.dossier(procedure=paid_procedure, agency=ward, applicant_user=citizen)
    response = client_of(citizen).post(f"/thanh-toan/{d.code}/")
    assert response.status_code == 409 and "không ở trạng thái chờ nộp phí" in response.content.decode()


def forged(platform, txn, **changes) -> dict:
    """A notice as the platform would sign it, with `changes` (signed again unless told not to)."""
    t = platform.simulator
    body = {
        "MaDoiTac": t.merchant,
        "MaGiaoDich": txn.code,
        "MaThamChieu": txn.platform_ref,
        "SoTien": txn.amount,
        "TrangThai": "00",
        "ThoiGianThanhToan": stamp(),
        "ThoiGian": stamp(),
    }
    tamper = changes.pop("tamper", None)
    body.update(changes)
    body["MaXacThuc"] = sign(body, NOTICE_FIELDS, t.secret)
    if tamper:
        body.update(tamper)
    return body


REFUSALS = [
    ("checksum", {"tamper": {"SoTien": 1}}, "97"),
    ("checksum", {"tamper": {"MaXacThuc": "0" * 64}}, "97"),
    ("amount", {"SoTien": 1}, "04"),
    ("unknown", {"MaGiaoDich": "TT0-NOBODY"}, "01"),
    ("reference", {"MaThamChieu": "ANOTHERREF"}, "02"),
    ("replay", {"ThoiGian": "20250101090000"}, "02"),
    ("merchant", {"MaDoiTac": "SOMEONE-ELSE"}, "97"),
    ("malformed", {"tamper": {"SoTien": "10000"}}, "99"),
]


@pytest.mark.parametrize(
    ("reason", "changes", "answer"), REFUSALS, ids=[f"{r[0]}-{i}" for i, r in enumerate(REFUSALS)]
)
def test_a_confirmation_that_does_not_hold_is_refused_and_kept(
    platform, dossier, citizen, reason, changes, answer
):
    txn = start(client_of(citizen), dossier)
    response = client_of(citizen).post(
        "/thanh-toan/thong-bao/", forged(platform, txn, **changes), content_type="application/json"
    )
    assert (response.status_code, response.json()["error_code"]) == (400, answer)
    [notice] = PaymentNotice.objects.all()
    assert (notice.outcome, notice.reason) == ("refused", reason)
    assert notice.body  # the raw body is kept for the audit
    dossier = fresh(dossier)
    txn.refresh_from_db()
    assert (dossier.status, dossier.paid_online, dossier.paid_at, txn.state) == (
        Status.AWAITING_PAYMENT,
        False,
        None,
        State.PENDING,
    )
    assert confirmations(dossier) == []


def test_a_body_that_is_not_json_is_refused(db, client):
    response = client.post(
        "/thanh-toan/thong-bao/", "MaGiaoDich=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and response.json()["error_code"] == "99"
    assert PaymentNotice.objects.get().reason == "malformed"


def test_the_received_confirmations_cannot_be_rewritten(platform, dossier, citizen):
    from django.db import DatabaseError, transaction

    client_of(citizen).post("/thanh-toan/thong-bao/", {}, content_type="application/json")
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentNotice.objects.update(outcome="confirmed")


def test_a_verified_cancellation_closes_the_transaction_and_a_new_one_can_be_paid(
    live, platform, dossier, citizen
):
    browser = client_of(citizen)
    first = start(browser, dossier)
    back = pay_at_platform(first, "huy")
    first.refresh_from_db()
    assert first.state == State.CANCELLED
    assert 'data-state="cancelled"' in browser.get(path_of(back)).content.decode()
    second = start(browser, dossier)
    assert second.pk != first.pk
    pay_at_platform(second)
    dossier = fresh(dossier)
    assert dossier.paid_online and len(confirmations(dossier)) == 1
