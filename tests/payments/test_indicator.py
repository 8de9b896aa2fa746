"""The 766 online-payment indicator counts the dossiers paid through a verified online confirmation, and
only those: not a clerk's word, not a confirmation refused, not a payer only back from the platform."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from dossiers.lifecycle.services import perform
from dossiers.reporting import Period
from dossiers.reporting.indicators import indicators
from procedures.calendar import local
from tests import factories

from .conftest import awaiting_payment, client_of, notices, pay_at_platform, set_ipn, start


def paid_through_the_platform(platform, dossier, citizen) -> None:
    """Paid at the simulator; its notice (held back) delivered to our callback as the platform would."""
    txn = start(client_of(citizen), dossier)
    pay_at_platform(txn)
    body = next(n["body"] for n in notices(platform) if n["body"]["MaGiaoDich"] == txn.code)
    answer = client_of(citizen).post("/thanh-toan/thong-bao/", body, content_type="application/json")
    assert answer.json()["error_code"] == "00"


def test_the_online_payment_rate_counts_verified_payments_only(platform, paid_procedure, ward, clerk):
    set_ipn(platform, "drop")
    citizens = [factories.user(national_id=f"00119001000{i}") for i in range(5)]
    online = [awaiting_payment(paid_procedure, ward, clerk, c) for c in citizens]
    paid_through_the_platform(platform, online[0], citizens[0])
    paid_through_the_platform(platform, online[1], citizens[1])
    # paid at the counter; the clerk cannot call it online
    perform(online[2].code, "confirm_payment", clerk, {"online": True})
    # refused: a tampered notice
    txn = start(client_of(citizens[3]), online[3])
    pay_at_platform(txn)
    body = {**notices(platform)[-1]["body"], "SoTien": 1}
    client_of(citizens[3]).post("/thanh-toan/thong-bao/", body, content_type="application/json")
    # back from the platform, its notice lost and not yet re-checked
    txn = start(client_of(citizens[4]), online[4])
    back = pay_at_platform(txn)
    page = client_of(citizens[4]).get(urlsplit(back).path).content.decode()
    assert 'data-state="pending"' in page

    today = local(timezone.now()).date()
    (row,) = indicators({ward.id}, Period(today - timedelta(days=1), today + timedelta(days=1), today))
    assert (row["paid"], row["paid_online"], row["online_payment_rate"]) == (3, 2, 66.67)
