"""A dossier's fee from the catalogue, with the online discount."""

import pytest

from procedures.fees import dossier_fee, online_price
from procedures.models import Fee
from tests import factories


@pytest.mark.parametrize(
    ("amount", "pct", "expected"),
    [(20_000, 50, 10_000), (15_000, 53, 7_050), (10_000, 0, 10_000), (10_000, 100, 0), (1_001, 50, 501)],
)
def test_online_price(amount, pct, expected):
    assert online_price(amount, pct) == expected


@pytest.mark.parametrize(
    ("fees", "online", "expected"),
    [
        ([], False, 0),
        ([(100_000, "dossier")], False, 100_000),
        ([(100_000, "dossier")], True, 50_000),
        ([(100_000, "dossier"), (20_000, "dossier")], True, 60_000),
        ([(2_000, "page")], False, None),  # counted per page: the clerk gives the amount
    ],
)
def test_dossier_fee(db, fees, online, expected):
    p = factories.procedure(online_fee_discount_pct=50)
    for amount, unit in fees:
        Fee.objects.create(procedure=p, name="Lệ phí", amount=amount, unit=unit)
    assert dossier_fee(p, online=online) == expected
