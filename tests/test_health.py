import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "redis")} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
    }
    assert body["degraded_links"] == [] and set(body["links"]) == {
        "vneid",
        "dvcqg",
        "payment",
        "population",
        "emc",
        "zalo",
        "sms",
    }


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"


@pytest.mark.django_db
def test_healthz_reports_degraded_links_and_stays_200_in_one_query(client, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from dossiers.models import NationalLink

    now = timezone.now()
    NationalLink.objects.filter(name="population").update(
        calls=5,
        failures=3,
        consecutive_failures=3,
        last_failure_at=now,
        open_until=now + timedelta(seconds=30),
    )
    NationalLink.objects.filter(name="emc").update(
        calls=9, failures=1, consecutive_failures=1, last_failure_at=now
    )
    NationalLink.objects.filter(name="dvcqg").update(calls=9, last_success_at=now)
    with django_assert_num_queries(2):  # SELECT 1, then the links
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["links"]["population"] == "circuit_open" and body["links"]["emc"] == "degraded"
    assert body["links"]["dvcqg"] == "working" and body["links"]["sms"] == "never_used"
    assert body["degraded_links"] == ["emc", "population"]
