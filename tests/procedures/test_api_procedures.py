"""Specification of the public procedures API: search, filters, detail, constant queries, and the import."""

import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from procedures.models import Fee, Procedure
from tests import factories


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def catalogue(db):
    birth = factories.procedure(
        code="1.001193", name="Đăng ký khai sinh", unit=Procedure.TimeUnit.SAME_DAY, online_level="full"
    )
    marriage = factories.procedure(code="1.000894", name="Đăng ký kết hôn", unit=Procedure.TimeUnit.SAME_DAY)
    copy = factories.procedure(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        sector=factories.sector("chungthuc", "Chứng thực"),
        unit=Procedure.TimeUnit.SAME_DAY,
    )
    Fee.objects.create(procedure=copy, name="Trang 1–2", amount=2000, unit=Fee.Unit.PAGE)
    provincial = factories.procedure(code="1.000001", name="Thủ tục cấp tỉnh", level=Procedure.Level.PROVINCE)
    factories.procedure(code="1.999999", name="Đăng ký đã bãi bỏ", active=False)
    return {"birth": birth, "marriage": marriage, "copy": copy, "provincial": provincial}


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["code"] for p in response.json()["results"]}


LIST_URL = "/api/v1/procedures/"

FILTERS = [
    ({}, {"1.001193", "1.000894", "2.000815", "1.000001"}),
    ({"q": "dang ky khai sinh"}, {"1.001193"}),
    ({"q": "ĐĂNG KÝ"}, {"1.001193", "1.000894"}),
    ({"q": "chung thuc"}, {"2.000815"}),
    ({"q": "2.000815"}, {"2.000815"}),
    ({"q": "khai tử"}, set()),
    ({"sector": "chungthuc"}, {"2.000815"}),
    ({"sector": "khong-co"}, set()),
    ({"level": "province"}, {"1.000001"}),
    ({"online_level": "full"}, {"1.001193"}),
    ({"q": "dang ky", "online_level": "partial"}, {"1.000894"}),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_anyone_can_search_and_filter_the_active_catalogue(api, catalogue, params, expected):
    assert codes(api.get(LIST_URL, params)) == expected


def test_the_agency_filter_lists_what_that_agency_offers(api, catalogue, province, ward):
    other_ward = factories.agency(parent=province)
    catalogue["marriage"].agencies.set([other_ward])
    catalogue["copy"].agencies.set([province])

    assert codes(api.get(LIST_URL, {"agency": ward.id})) == {"1.001193", "2.000815"}
    assert codes(api.get(LIST_URL, {"agency": other_ward.id})) == {"1.001193", "1.000894", "2.000815"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "district"}, "level"),
        ({"online_level": "x"}, "online_level"),
        ({"agency": "999999"}, "agency"),
        ({"agency": "abc"}, "agency"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(api, catalogue, params, field):
    response = api.get(LIST_URL, params)

    assert response.status_code == 400
    body = response.json()["error"]
    assert (body["code"], body["message"]) == ("invalid", "Dữ liệu không hợp lệ.")
    assert field in body["fields"]


def test_a_list_item_carries_sector_times_and_fee(api, catalogue):
    item = next(p for p in api.get(LIST_URL, {"q": "chung thuc"}).json()["results"])

    assert item == {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính",
        "sector": {"code": "chungthuc", "name": "Chứng thực"},
        "level": "commune",
        "online_level": "partial",
        "time_unit": "same_day",
        "legal_days": 0,
        "committed_days": None,
        "processing_days": 0,
        "fee_text": "",
        "online_fee_discount_pct": 0,
        "version": 1,
    }


def test_the_list_takes_constant_queries(api, catalogue, ward, django_assert_num_queries):
    sector_codes = iter(range(100))

    def page_queries(n_extra: int) -> None:
        for _ in range(n_extra):
            sector = factories.sector(f"s{next(sector_codes)}", "Khác")
            factories.procedure(name="Đăng ký khác", sector=sector)
        with django_assert_num_queries(2):  # count + page with sectors joined
            assert api.get(LIST_URL, {"q": "dang ky"}).status_code == 200
        with django_assert_num_queries(3):  # + the agency filter's lookup of the agency
            assert api.get(LIST_URL, {"agency": ward.id}).status_code == 200

    page_queries(0)
    page_queries(12)


def test_the_detail_has_components_steps_fees_and_agencies(api, catalogue, province):
    catalogue["copy"].agencies.set([province])

    body = api.get("/api/v1/procedures/2.000815/").json()

    assert body["code"] == "2.000815"
    assert [r["name"] for r in body["requirements"]] == ["Tờ khai", "Giấy chứng sinh"]
    assert [(s["order"], s["role"]) for s in body["steps"]] == [(1, "clerk"), (2, "handler"), (3, "leader"),
                                                                (4, "clerk")]  # fmt: skip
    assert body["fees"] == [{"name": "Trang 1–2", "amount": 2000, "unit": "page", "note": ""}]
    assert body["agencies"] == [{"id": province.id, "code": province.code, "name": province.name,
                                 "level": "province"}]  # fmt: skip
    assert body["offered_by_all"] is False
    assert reverse("procedure-detail", args=["2.000815"]) == "/api/v1/procedures/2.000815/"


def test_the_detail_takes_constant_queries(api, catalogue, django_assert_num_queries):
    for n in range(10):
        Fee.objects.create(procedure=catalogue["birth"], name=f"Phí {n}", amount=1000)

    with django_assert_num_queries(5):  # procedure+sector, requirements, steps, fees, agencies
        assert api.get("/api/v1/procedures/1.001193/").status_code == 200
    with django_assert_num_queries(5):
        assert api.get("/api/v1/procedures/2.000815/").status_code == 200


def test_an_unknown_code_is_a_404_in_both_languages(api, db):
    body = api.get("/api/v1/procedures/0.000000/").json()

    assert body == {
        "error": {
            "code": "not_found",
            "message": "Không có thủ tục mã 0.000000.",
            "message_en": "No procedure with code 0.000000.",
        }
    }


def test_sectors_are_listed_for_filter_menus(api, catalogue):
    assert api.get("/api/v1/procedures/sectors/").json() == [
        {"code": "chungthuc", "name": "Chứng thực"},
        {"code": "hotich", "name": "Hộ tịch"},
    ]


def test_the_schema_documents_the_procedures_api(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    params = {p["name"] for p in schema["paths"]["/api/v1/procedures/"]["get"]["parameters"]}
    assert {"q", "sector", "level", "online_level", "agency"} <= params
    assert "/api/v1/procedures/{code}/" in schema["paths"]


# Import over the API ---------------------------------------------------------------------------------------

CSV = (
    "code,name,sector_code,sector_name,level,online_level,time_unit,legal_days\n"
    "1.001193,Đăng ký khai sinh,hotich,Hộ tịch,commune,full,same_day,0\n"
)


def upload(text: str) -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = "catalogue.csv"
    return data


def test_an_administrator_imports_a_catalogue_file(api, db):
    api.force_authenticate(factories.user(is_staff=True))

    response = api.post("/api/v1/procedures/import/", {"file": upload(CSV)}, format="multipart")

    assert response.json() == {"created": ["1.001193"], "updated": [], "unchanged": [], "dry_run": False}
    assert Procedure.objects.get().name == "Đăng ký khai sinh"


def test_the_import_reports_bad_rows_and_writes_nothing(api, db):
    api.force_authenticate(factories.user(is_staff=True))
    bad = CSV + "1.001193,Trùng mã,hotich,Hộ tịch,commune,full,same_day,2\n"

    response = api.post("/api/v1/procedures/import/", {"file": upload(bad)}, format="multipart")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_invalid"
    assert [e["message_en"] for e in error["errors"]] == [
        "line 3, column legal_days (H): a same-day procedure must have 0 days.",
        "line 3, column code (A): code 1.001193 repeats line 2.",
    ]
    assert error["errors"][0]["message"] == (
        "dòng 3, cột legal_days (H): thủ tục trong ngày phải có thời hạn 0."
    )
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "clerk"])
def test_only_administrators_may_import(api, clerk, who):
    if who == "clerk":
        api.force_authenticate(clerk)

    response = api.post("/api/v1/procedures/import/", {"file": upload(CSV)}, format="multipart")

    assert response.status_code in (401, 403)
    assert not Procedure.objects.exists()
