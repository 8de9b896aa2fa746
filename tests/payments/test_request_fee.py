"""request_payment takes the catalogue's fee when the clerk gives no amount: less the online discount for a
dossier filed online, the full fee at the counter; a per-page fee or none at all needs the clerk."""

import pytest

from config.errors import InvalidInput
from dossiers.lifecycle.services import perform
from dossiers.models import Channel, Status
from procedures.models import Fee
from tests import factories

from .conftest import CATALOGUE_FEE, ONLINE_FEE


@pytest.mark.parametrize(
    ("channel", "expected"), [(Channel.ONLINE, ONLINE_FEE), (Channel.COUNTER, CATALOGUE_FEE)]
)
def test_the_catalogue_fee(paid_procedure, ward, clerk, channel, expected):
    d = factories.dossier(procedure=paid_procedure, agency=ward, channel=channel)
    assert perform(d.code, "request_payment", clerk, {}).fee_amount == expected


def test_an_amount_given_by_the_clerk_wins(paid_procedure, ward, clerk):
    d = factories.dossier(procedure=paid_procedure, agency=ward, channel=Channel.ONLINE)
    assert perform(d.code, "request_payment", clerk, {"amount": 16_000}).fee_amount == 16_000


@pytest.mark.parametrize(
    ("fees", "says"), [([(2_000, "page")], "theo bản hoặc trang"), ([], "không thu phí")]
)
def test_without_a_fee_to_take_the_clerk_is_asked(ward, clerk, fees, says):
    p = factories.procedure()
    for amount, unit in fees:
        Fee.objects.create(procedure=p, name="Phí", amount=amount, unit=unit)
    d = factories.dossier(procedure=p, agency=ward)
    with pytest.raises(InvalidInput, match="") as refused:
        perform(d.code, "request_payment", clerk, {})
    assert says in refused.value.vi and "amount" in refused.value.fields
    assert d.__class__.objects.get(pk=d.pk).status == Status.PROCESSING
