"""The in-app inbox: unread count in the header, list page, mark read, and the API, scoped to the user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dossiers.models import Notification
from tests import factories
from tests.helpers import client_for


def notify(user, n: int = 1, dossier=None, **kw) -> list[Notification]:
    return [
        Notification.objects.create(
            user=user,
            dossier=dossier,
            kind=kw.get("kind", "overdue"),
            title=f"Hồ sơ quá hạn {i}",
            body="Đề nghị khẩn trương xử lý.",
        )
        for i in range(n)
    ]


@pytest.fixture
def api(handler):
    return client_for(handler)


def test_the_header_shows_the_unread_count(client, handler, clerk):
    notify(handler, 3)
    notify(clerk, 5)
    client.force_login(handler)
    page = client.get("/inbox/").content.decode()
    assert 'href="/inbox/"' in page and '<span class="badge badge-unread"' in page
    assert "3 thông báo chưa đọc" in page


def test_the_inbox_lists_only_my_notifications_newest_first(client, handler, clerk, birth_registration, ward):
    d = factories.dossier(procedure=birth_registration, agency=ward)
    mine = notify(handler, 2, dossier=d)
    notify(clerk, 1)
    client.force_login(handler)
    page = client.get("/inbox/").content.decode()
    assert page.index("Hồ sơ quá hạn 1") < page.index("Hồ sơ quá hạn 0")
    assert d.code in page
    assert page.count('class="card unread"') == 2
    assert mine[0].title in page


def test_marking_read(client, handler, clerk):
    a, b = notify(handler, 2)
    theirs = notify(clerk, 1)[0]
    client.force_login(handler)
    assert client.post(f"/inbox/{a.pk}/read/").status_code == 302
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404  # someone else's: as if none
    assert list(
        Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True).order_by("pk")
    ) == [
        b.pk,
        theirs.pk,
    ]
    client.post("/inbox/read-all/", {"next": "https://evil.example/"})
    assert not Notification.objects.filter(user=handler, read_at__isnull=True).exists()
    assert "badge-unread" not in client.get("/inbox/").content.decode()


def test_the_inbox_needs_a_login_and_a_post(client, handler):
    assert client.get("/inbox/").status_code == 302
    client.force_login(handler)
    assert client.get("/inbox/read-all/").status_code == 405


def test_the_api_lists_filters_and_marks(api, handler, clerk):
    first, second = notify(handler, 2)
    notify(clerk, 1)
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 2
    assert body["results"][0]["title"] == second.title
    assert set(body["results"][0]) >= {
        "id",
        "kind",
        "kind_display",
        "title",
        "body",
        "dossier_code",
        "read_at",
    }
    marked = api.post(f"/api/v1/notifications/{first.pk}/read/").json()
    assert marked == {"marked": 1, "unread": 1}
    assert [n["id"] for n in api.get("/api/v1/notifications/?unread=true").json()["results"]] == [second.pk]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1, "unread": 0}


def test_someone_elses_notification_is_not_found(api, clerk):
    theirs = notify(clerk, 1)[0]
    response = api.post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_needs_authentication():
    assert APIClient().get("/api/v1/notifications/").status_code in (401, 403)


def test_the_list_takes_constant_queries(
    api, client, handler, birth_registration, ward, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    d = factories.dossier(procedure=birth_registration, agency=ward)
    notify(handler, 2, dossier=d)
    client.force_login(handler)
    client.get("/inbox/")
    with CaptureQueriesContext(connection) as page_small, CaptureQueriesContext(connection):
        client.get("/inbox/")
    with CaptureQueriesContext(connection) as api_small:
        api.get("/api/v1/notifications/")
    notify(handler, 20, dossier=d)
    with django_assert_num_queries(len(page_small)):
        client.get("/inbox/")
    with django_assert_num_queries(len(api_small)):
        assert len(api.get("/api/v1/notifications/").json()["results"]) == 22
