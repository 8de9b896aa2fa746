"""Two people acting on one dossier at the same instant: exactly one wins, the other gets a clear conflict."""

import threading

import pytest
from django.db import connection

from config.errors import Conflict
from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, DossierEvent, Status

from .lifecycle import (
    intake,
)

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls in parallel threads (each with its own connection); return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("withdraw", "clerk", {"reason": "Công dân rút"}),
            ("stop", "handler", {"reason": "Dừng", "legal_ground": "Nghị định số 118/2025/NĐ-CP"}),
        ),
        (("forward", "clerk", {}), ("forward", "clerk", {})),
        (
            ("request_supplement", "clerk", {"missing": [{"name": "Tờ khai", "reason": "Sai"}]}),
            ("request_payment", "handler", {"amount": 8000}),
        ),
    ],
)
def test_conflicting_actions_at_once_give_one_success_and_one_conflict(
    flushable_event_log, clerk, handler, ward, birth_registration, first, second
):
    d = intake(clerk, ward, birth_registration)
    people = {"clerk": clerk, "handler": handler}
    calls = [lambda a=a: (a[0], perform(d.code, a[0], people[a[1]], a[2])) for a in (first, second)]

    results, errors = race(*calls)

    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], Conflict) and errors[0].status_code == 409
    [(won, winner)] = results
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.status == winner.status != Status.RECEIVED
    actions = list(DossierEvent.objects.filter(dossier=d).order_by("id").values_list("action", flat=True))
    assert actions == ["receive", won]  # the winner's event only, none from the loser
