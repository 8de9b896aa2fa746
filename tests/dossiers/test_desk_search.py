"""The desk's search box: code (or its tail), name without diacritics, citizen ID, phone; scoped; bounded;
index-served; a fixed number of queries; the same search behind the API list's ?q=."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection

from dossiers.models import Status
from dossiers.selectors.search import SEARCH_LIMIT, SEARCH_MAX_LENGTH, search_dossiers
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def an(ward, birth_registration):
    return factories.dossier(
        procedure=birth_registration,
        agency=ward,
        code=f"{ward.code}-260302-0361",
        applicant_name="Nguyễn Văn An",
        applicant_id_number="001190054321",
        applicant_phone="0987654321",
    )


@pytest.fixture
def others(ward, birth_registration):
    return [
        factories.dossier(
            procedure=birth_registration,
            agency=ward,
            code=f"{ward.code}-260302-{n:04d}",
            applicant_name=name,
            applicant_id_number="001190012345",
            applicant_phone="0912345678",
        )
        for n, name in [(1, "Trần Thị Bình"), (2, "Đặng Đức Dũng"), (3, "Lê Thu Hà")]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "0361",
        "260302-0361",
        "-260302-0361",
        "nguyen van an",
        "Nguyễn Văn An",
        "NGUYEN  VAN   AN",
        "van an",
        "001190054321",
        "0987654321",
        "0987 654 321",
        "+84987654321",
    ],
)
def test_each_way_of_asking_finds_the_dossier(clerk, an, others, text):
    assert [d.pk for d in search_dossiers(clerk, text)] == [an.pk]


def test_the_whole_code_finds_it(clerk, an, others):
    assert [d.pk for d in search_dossiers(clerk, an.code)] == [an.pk]


def test_d_with_stroke_folds_to_d(clerk, an, others):
    assert [d.applicant_name for d in search_dossiers(clerk, "dang duc")] == ["Đặng Đức Dũng"]


@pytest.mark.parametrize("text", ["", "an", "zzzz", "0000", "  "])
def test_short_or_unmatched_text_finds_nothing(clerk, an, others, text):
    assert search_dossiers(clerk, text) == []


def test_other_agencies_dossiers_stay_out(clerk, province, birth_registration, an):
    elsewhere = factories.agency(parent=province)
    factories.dossier(procedure=birth_registration, agency=elsewhere, applicant_name="Nguyễn Văn An")

    assert [d.pk for d in search_dossiers(clerk, "nguyen van an")] == [an.pk]


def test_newest_first_and_bounded(clerk, ward, birth_registration):
    made = [
        factories.dossier(procedure=birth_registration, agency=ward, applicant_name="Phạm Minh Long")
        for _ in range(SEARCH_LIMIT + 2)
    ]

    found = search_dossiers(clerk, "pham minh")

    assert len(found) == SEARCH_LIMIT + 1  # one more tells the page to say there are more
    assert found[0].pk == made[-1].pk


def test_the_page_lists_matches_like_a_queue(client, clerk, an, others):
    client.force_login(clerk)

    page = client.get("/desk/search/", {"q": "nguyen van an"}).content.decode()

    assert f'href="/dossiers/{an.code}/"' in page
    assert "Nguyễn Văn An" in page and an.get_status_display() in page
    assert an.due_at.astimezone().strftime("%d/%m/%Y") in page or "Hẹn trả" in page
    assert "Trần Thị Bình" not in page


def test_every_desk_page_holds_the_search_box(client, clerk, an):
    client.force_login(clerk)

    for url in ["/desk/q/in_progress/", f"/dossiers/{an.code}/", "/desk/intake/", "/desk/search/?q=an"]:
        assert 'action="/desk/search/"' in client.get(url).content.decode(), url


def test_the_box_is_bounded_as_the_search_is():
    box = (ROOT / "templates" / "desk" / "_search.html").read_text()

    assert re.search(r'maxlength="(\d+)"', box).group(1) == str(SEARCH_MAX_LENGTH)


@pytest.mark.parametrize(
    ("text", "message"),
    [("nguyen\x00", "ký tự không hợp lệ"), ("a" * (SEARCH_MAX_LENGTH + 1), "tối đa")],
)
def test_nul_or_overlong_text_is_refused(client, clerk, text, message):
    client.force_login(clerk)

    response = client.get("/desk/search/", {"q": text})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_page_queries_do_not_grow_with_matches(
    client, clerk, ward, birth_registration, django_assert_num_queries
):
    for _ in range(3):
        factories.dossier(procedure=birth_registration, agency=ward, applicant_name="Vũ Ngọc Mai")
    client.force_login(clerk)
    client.get("/desk/search/", {"q": "vu ngoc"})
    for _ in range(20):
        factories.dossier(procedure=birth_registration, agency=ward, applicant_name="Vũ Ngọc Mai")

    # session, user, roles (nav), agencies (scope), saved filters (tabs), the search; the notification
    # badge's count
    with django_assert_num_queries(7):
        response = client.get("/desk/search/", {"q": "vu ngoc"})
    assert response.content.decode().count('href="/dossiers/') == 23


def _plan(text: str) -> str:
    """The plan of the search condition alone (on a few rows the planner would rather read the scope's
    agency index and filter; at 1 M the bitmaps are combined, see docs/PERFORMANCE.md)."""
    from dossiers.models import Dossier
    from dossiers.selectors.search import filter_search

    qs = filter_search(Dossier.objects.all(), text)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("nguyen van an", "dossier_name_folded_trgm"),
        ("260302-0361", "dossier_code_trgm"),
        ("001190054321", "dossier_applicant_id"),
        ("0987654321", "dossier_applicant_phone"),
    ],
)
def test_each_branch_has_its_index(clerk, an, text, index):
    assert index in _plan(text)


def test_the_api_list_searches_the_same_way(client, clerk, an, others):
    client.force_login(clerk)

    body = client.get("/api/v1/dossiers/", {"q": "nguyen van an", "status": Status.PROCESSING}).json()

    assert [row["code"] for row in body["results"]] == [an.code]


@pytest.mark.parametrize("text", ["x\x00y", "a" * (SEARCH_MAX_LENGTH + 1)])
def test_the_api_refuses_nul_or_overlong_text_in_both_languages(client, clerk, text):
    client.force_login(clerk)

    response = client.get("/api/v1/dossiers/", {"q": text})

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] and error["message_en"] and "q" in error["fields"]
