"""A dossier awaiting a fee paid online, its applicant, and the payment platform's simulator over HTTP."""

from __future__ import annotations

import re

import pytest
import requests
from django.test import Client

from dossiers.lifecycle.services import perform
from dossiers.models import Channel, PaymentTransaction, Status
from procedures.models import Fee
from seeds.simulators.payment import PaymentSimulator
from tests import factories
from tests.conftest_worker import flushable_event_log  # noqa: F401
from tests.simulators import running

CATALOGUE_FEE, DISCOUNT_PCT, ONLINE_FEE = 20_000, 50, 10_000


@pytest.fixture
def platform(settings):
    with running(PaymentSimulator(merchant="MOTCUA-TEST", secret="bi-mat-thu")) as server:
        settings.PAYMENT_URL = server.url
        settings.PAYMENT_MERCHANT_CODE = "MOTCUA-TEST"
        settings.PAYMENT_SECRET = "bi-mat-thu"
        yield server


@pytest.fixture
def paid_procedure(db):
    p = factories.procedure(name="Đăng ký hộ kinh doanh", online_fee_discount_pct=DISCOUNT_PCT)
    Fee.objects.create(procedure=p, name="Lệ phí đăng ký", amount=CATALOGUE_FEE)
    return p


@pytest.fixture
def citizen(db):
    return factories.user(national_id="001190012345", full_name="Trần Thị Bình")


@pytest.fixture
def stranger(db):
    return factories.user(national_id="001190099999", full_name="Lê Văn Khác")


def awaiting_payment(procedure, ward, clerk, applicant):
    """An online dossier of `applicant` on which the clerk asked for the catalogue's fee."""
    d = factories.dossier(
        procedure=procedure,
        agency=ward,
        status=Status.PROCESSING,
        channel=Channel.ONLINE,
        applicant_user=applicant,
    )
    return perform(d.code, "request_payment", clerk, {})


@pytest.fixture
def dossier(paid_procedure, ward, clerk, citizen):
    return awaiting_payment(paid_procedure, ward, clerk, citizen)


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def start(client: Client, dossier) -> PaymentTransaction:
    response = client.post(f"/thanh-toan/{dossier.code}/")
    assert response.status_code == 302, response.content.decode()
    txn = PaymentTransaction.objects.get(dossier=dossier, state=PaymentTransaction.State.PENDING)
    assert response["Location"] == txn.payment_url
    return txn


def pay_at_platform(txn: PaymentTransaction, choice: str = "thanh_toan") -> str:
    """The payer's page on the platform, over HTTP: read it, click; the way back to our return page."""
    page = requests.get(txn.payment_url, timeout=5)
    text = page.content.decode()  # the page names its charset in a meta tag, as browsers read it
    assert page.status_code == 200 and "Thanh toán" in text and f"{txn.amount:,}".replace(",", ".") in text
    done = requests.post(txn.payment_url, data={"chon": choice}, timeout=15)
    assert done.status_code == 200, done.text
    back = re.search(r'id="quay-lai" href="([^"]+)"', done.content.decode()).group(1).replace("&amp;", "&")
    return back


def set_ipn(server, mode: str) -> None:
    requests.post(f"{server.url}/_sim/ipn", json={"mode": mode}, timeout=5).raise_for_status()


def notices(server) -> list[dict]:
    return requests.get(f"{server.url}/_sim/notices", timeout=5).json()["notices"]
