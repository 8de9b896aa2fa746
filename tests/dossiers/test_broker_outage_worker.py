"""No e-result is ever lost, on a real broker that fails: a private Redis stopped and started again empty
during intake, resolve and return, and a worker killed with SIGKILL in the middle of issuing a result. The
results sweep of beat (embedded in the live worker) issues every result exactly once, after its lease."""

from __future__ import annotations

import pytest
import redis
from django.db.models import Count

from dossiers.documents.issuing import result_document
from dossiers.documents.signing import verify_pdf
from dossiers.lifecycle.actions import perform
from dossiers.models import Document, Dossier, DossierEvent, Outcome, Status
from tests import factories
from tests.conftest_worker import live_worker, wait_until
from tests.helpers import client_for

from .test_api_dossiers import intake_payload

pytestmark = pytest.mark.worker

LEASE = 3  # seconds: E_RESULT_LEASE_SECONDS of the test and of its workers
URL = "/api/v1/dossiers/"


@pytest.fixture
def on_private_broker(settings, private_redis):
    """The test process publishes (config.jobs) to the private Redis, with a short lease."""
    settings.CELERY_BROKER_URL = private_redis.url
    settings.E_RESULT_LEASE_SECONDS = LEASE
    return private_redis


def worker_env(settings, broker_url: str, **extra) -> dict[str, str]:
    return {
        "SIGNING_DIR": str(settings.SIGNING_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_P12_PASSPHRASE": settings.SIGNING_P12_PASSPHRASE,
        "CELERY_BROKER_URL": broker_url,
        "E_RESULT_LEASE_SECONDS": str(LEASE),
        "E_RESULT_SWEEP_INTERVAL": "1",
        "SWEEP_INTERVAL": "3600",
        "STATS_CURRENT_INTERVAL": "3600",
        **extra,
    }


def with_beat(tmp_path, name: str) -> tuple[str, ...]:
    return ("-B", "-s", str(tmp_path / f"beat-{name}"))


def act(user, code: str, action: str, data: dict | None = None):
    response = client_for(user).post(f"{URL}{code}/actions/{action}/", data or {}, format="json")
    assert response.status_code == 200, (action, response.status_code, response.content[:300])
    return response


def intake_and_resolve(clerk, handler, leader, procedure) -> str:
    response = client_for(clerk).post(URL, intake_payload(procedure), format="json")
    assert response.status_code == 201, response.content[:300]
    code = response.json()["code"]
    act(clerk, code, "forward")
    act(handler, code, "draft_result", {"particulars": "Họ, chữ đệm, tên: Trần Thị Bình"})
    act(handler, code, "forward")
    act(leader, code, "resolve", {"outcome": "approved", "draft_version": 1})
    return code


def results_by_dossier() -> dict[int, int]:
    rows = Document.objects.filter(kind=Document.Kind.RESULT).values("dossier").annotate(n=Count("id"))
    return {r["dossier"]: r["n"] for r in rows}


def all_issued(codes) -> bool:
    return Dossier.objects.filter(code__in=codes, e_result_status=Dossier.EResult.DONE).count() == len(codes)


def test_a_broker_that_stops_and_restarts_empty_loses_no_result(
    flushable_event_log,
    pki,
    media_root,
    on_private_broker,
    settings,
    tmp_path,
    clerk,
    handler,
    leader,
    ward,
    birth_registration,
):
    broker = on_private_broker
    env = worker_env(settings, broker.url)

    # 1. The broker is down: intake, resolve and return all answer as usual; nothing can be queued.
    broker.stop()
    during_outage = [intake_and_resolve(clerk, handler, leader, birth_registration) for _ in range(2)]
    act(clerk, during_outage[0], "return_result", {"method": "in_person"})

    # 2. The broker is back but no worker runs: this result's task is queued... and lost when Redis restarts.
    broker.start()
    queued_then_lost = intake_and_resolve(clerk, handler, leader, birth_registration)
    assert redis.Redis.from_url(broker.url).llen(settings.CELERY_TASK_DEFAULT_QUEUE) >= 1
    broker.stop()
    broker.start()

    # 3. The worker (and beat) start on the empty broker: the results sweep issues every one, once.
    codes = [*during_outage, queued_then_lost]
    with live_worker(env, name="outage", extra_args=with_beat(tmp_path, "outage")) as proc:
        assert wait_until(lambda: all_issued(codes), timeout=90), "".join(proc.log[-40:])
        # Redis fails again under a running worker: a result resolved now is issued once it is back.
        broker.stop()
        late = intake_and_resolve(clerk, handler, leader, birth_registration)
        broker.start()
        assert wait_until(lambda: all_issued([late]), timeout=90), "".join(proc.log[-40:])
    codes.append(late)

    dossiers = Dossier.objects.filter(code__in=codes)
    assert set(results_by_dossier().values()) == {1} and len(results_by_dossier()) == len(codes)
    for d in dossiers:
        doc = result_document(d)
        assert verify_pdf(doc.file.open("rb").read()).valid
        actions = list(DossierEvent.objects.filter(dossier=d).values_list("action", flat=True))
        assert actions.count("result_issued") == 1
        assert {"receive", "forward", "resolve"} <= set(actions)
    returned = Dossier.objects.get(code=during_outage[0])
    assert returned.status == Status.RETURNED
    assert returned.events.filter(action="return_result").count() == 1


def test_a_worker_killed_mid_render_is_reissued_by_the_sweep_after_the_lease(
    flushable_event_log,
    pki,
    media_root,
    on_private_broker,
    settings,
    tmp_path,
    leader,
    ward,
    birth_registration,
):
    broker = on_private_broker
    gate = tmp_path / "gate-never-opens"
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    held = live_worker(
        worker_env(
            settings, broker.url, DJANGO_SETTINGS_MODULE="tests.settings_render_gate", RENDER_GATE=str(gate)
        ),
        name="killed",
    )
    factories.result_draft(d, leader)
    with held as proc:
        perform(d.code, "resolve", leader, {"outcome": Outcome.APPROVED, "draft_version": 1})
        holding = wait_until(lambda: any("render gate: holding" in line for line in proc.log), timeout=60)
        assert holding, "".join(proc.log[-40:])
        proc.kill()  # kill -9 of the whole worker, its task in flight and unacknowledged
        proc.wait()
    assert not Document.objects.filter(dossier=d).exists()
    assert Dossier.objects.get(pk=d.pk).e_result_status == Dossier.EResult.PENDING

    # The supervisor starts a worker again; the broker would hold the killed task for its visibility timeout
    # (an hour), the results sweep queues it again once the lease has run out.
    with live_worker(
        worker_env(settings, broker.url), name="restarted", extra_args=with_beat(tmp_path, "restarted")
    ) as proc:
        assert wait_until(lambda: all_issued([d.code]), timeout=60), "".join(proc.log[-40:])
        assert any("results sweep: queueing" in line for line in proc.log)
    assert results_by_dossier() == {d.pk: 1}
    assert d.events.filter(action="result_issued").count() == 1
