"""The demo queue: areas and counters for each demo ward, past days served through the services, and
numbers waiting now; a second run adds nothing."""

import io

import pytest
import time_machine
from django.core.management import call_command

from accounts.demo import seed_demo_staff
from dossiers.models import Counter, ServiceArea, Ticket, TicketEvent
from seeds.demo_tickets import PAST_DAYS, WAITING_NOW, seed_demo_tickets
from tests.helpers import vn

pytestmark = pytest.mark.django_db


@time_machine.travel(vn(2026, 3, 20, 10, 0), tick=False)
def test_each_demo_ward_gets_a_queue_with_history_and_waiting_numbers():
    call_command("import_procedures", "seeds/procedures.csv", stdout=io.StringIO())
    wards = seed_demo_staff().wards
    out = io.StringIO()
    seed_demo_tickets(wards, out)
    for ward in wards:
        assert ServiceArea.objects.filter(agency=ward).count() == 3
        assert Counter.objects.filter(agency=ward).count() == 3
        tickets = Ticket.objects.filter(agency=ward)
        assert tickets.filter(status=Ticket.Status.WAITING, day=vn(2026, 3, 20).date()).count() == WAITING_NOW
        assert tickets.exclude(status=Ticket.Status.WAITING).values("day").distinct().count() == PAST_DAYS
        assert not tickets.filter(status__in=["called", "serving"]).exists()
    assert TicketEvent.objects.filter(action="finish").exists()
    assert ServiceArea.objects.get(agency=wards[0], letter="B").sectors.filter(code="chungthuc").exists()
    count = Ticket.objects.count()
    seed_demo_tickets(wards, io.StringIO())
    assert Ticket.objects.count() == count
