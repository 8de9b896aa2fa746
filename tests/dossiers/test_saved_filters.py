"""Saved desk filters: the user's own tabs, checked by the dossier list's filter definitions, written by the
service only, with a fixed number of queries per tab page."""

from __future__ import annotations

import pytest

from config.errors import InvalidInput, NotFound
from dossiers.lifecycle.saved_filters import delete_filter, save_filter
from dossiers.models import SavedFilter, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "stored"),
    [
        ({"status": "processing"}, {"status": ["processing"]}),
        (
            {"status": ["received", "processing"], "assignee": "me"},
            {"status": ["received", "processing"], "assignee": "me"},
        ),
        ({"procedure": "1.001193", "overdue": "true"}, {"procedure": "1.001193", "overdue": "true"}),
        ({"due_soon": True, "procedure": ""}, {"due_soon": "true"}),
        ({"due_before": "2026-03-31"}, {"due_before": "2026-03-31"}),
    ],
)
def test_parameters_the_list_accepts_are_saved(clerk, params, stored):
    saved = save_filter(clerk, "  Của tôi ", params)

    assert (saved.name, saved.params) == ("Của tôi", stored)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "nope"}, "status"),
        ({"due_before": "31/31/2026"}, "due_before"),
        ({"overdue": "maybe"}, "overdue"),
        ({"assignee": "someone"}, "assignee"),
        ({"channel": "online"}, "channel"),
        ({"q": "nguyen"}, "q"),
        ({}, "params"),
    ],
)
def test_parameters_the_list_refuses_are_named(clerk, params, field):
    with pytest.raises(InvalidInput) as refused:
        save_filter(clerk, "Lỗi", params)

    assert field in refused.value.fields
    assert not SavedFilter.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, "a\x00b"])
def test_a_name_is_required_and_bounded(clerk, name):
    with pytest.raises(InvalidInput):
        save_filter(clerk, name, {"status": "processing"})


def test_names_are_unique_per_user(clerk, handler):
    save_filter(clerk, "Trễ", {"overdue": "true"})
    save_filter(handler, "Trễ", {"overdue": "true"})

    with pytest.raises(InvalidInput) as refused:
        save_filter(clerk, "Trễ", {"due_soon": "true"})
    assert "name" in refused.value.fields


def test_only_the_owner_deletes(clerk, handler):
    saved = save_filter(clerk, "Trễ", {"overdue": "true"})

    with pytest.raises(NotFound):
        delete_filter(handler, saved.pk)
    delete_filter(clerk, saved.pk)
    assert not SavedFilter.objects.exists()


def test_the_desk_form_saves_a_tab_that_lists_its_dossiers(client, clerk, ward, birth_registration):
    mine = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.PROCESSING, assignee=clerk
    )
    factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    factories.dossier(procedure=birth_registration, agency=ward, status=Status.RESOLVED, assignee=clerk)
    client.force_login(clerk)
    assert "Lưu bộ lọc" in client.get("/desk/f/new/").content.decode()

    response = client.post(
        "/desk/f/new/",
        {
            "name": "Đang xử lý của tôi",
            "status": ["processing"],
            "assignee": "me",
            "procedure": "",
            "due": "",
        },
    )

    saved = SavedFilter.objects.get(user=clerk)
    assert response.status_code == 302 and response.url == f"/desk/f/{saved.pk}/"
    page = client.get(response.url).content.decode()
    assert page.count('href="/dossiers/') == 1 and mine.code in page
    assert f'href="/desk/f/{saved.pk}/" class="saved" aria-current="page"' in page
    assert "Đang xử lý của tôi" in client.get("/desk/q/in_progress/").content.decode()  # a tab everywhere


def test_the_form_shows_the_services_refusal(client, clerk):
    client.force_login(clerk)

    response = client.post("/desk/f/new/", {"name": "Trống"})

    assert response.status_code == 400
    assert "ít nhất một điều kiện" in response.content.decode()


def test_the_tab_is_deleted_from_the_desk(client, clerk):
    saved = save_filter(clerk, "Trễ", {"overdue": "true"})
    client.force_login(clerk)

    assert client.post(f"/desk/f/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_another_users_tab_is_not_found(client, clerk, handler):
    saved = save_filter(clerk, "Trễ", {"overdue": "true"})
    client.force_login(handler)

    assert client.get(f"/desk/f/{saved.pk}/").status_code == 404
    assert client.post(f"/desk/f/{saved.pk}/delete/").status_code == 404
    assert SavedFilter.objects.exists()


def test_a_tab_page_queries_do_not_grow_with_rows(
    client, clerk, ward, birth_registration, django_assert_num_queries
):
    saved = save_filter(clerk, "Đang xử lý", {"status": "processing"})
    for _ in range(3):
        factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    client.force_login(clerk)
    client.get(f"/desk/f/{saved.pk}/")
    for _ in range(20):
        factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)

    # session, user, agencies, saved filters, [savepoint: the test's transaction], serial plans, tab counts,
    # page count, page ids, page rows, [release], roles (nav), badge count
    with django_assert_num_queries(13):
        response = client.get(f"/desk/f/{saved.pk}/")
    assert response.content.decode().count('href="/dossiers/') == 23
