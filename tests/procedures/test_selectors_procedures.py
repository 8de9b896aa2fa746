"""Specification of the catalogue selectors: which agency offers what, and diacritic-blind search."""

import pytest
from django.db import connection

from procedures.models import Procedure
from procedures.selectors import procedures_offered_by, search_procedures
from tests import factories


@pytest.fixture
def other_ward(province):
    return factories.agency(parent=province, name="Phường Thử Hai")


@pytest.fixture
def other_province(db):
    return factories.agency(name="Tỉnh Khác")


# (who the procedure is listed for, its level, active) -> offered by `ward`?
OFFERING = [
    ("nobody", "commune", True, True),
    ("nobody", "province", True, False),
    ("nobody", "commune", False, False),
    ("ward", "commune", True, True),
    ("province", "commune", True, True),
    ("other_ward", "commune", True, False),
    ("other_province", "commune", True, False),
    ("ward+other_ward", "commune", True, True),
]


@pytest.mark.parametrize(("listed_for", "level", "active", "offered"), OFFERING)
def test_which_procedures_a_ward_offers(
    ward, province, other_ward, other_province, listed_for, level, active, offered
):
    agencies = {"ward": ward, "province": province, "other_ward": other_ward}
    agencies["other_province"] = other_province
    procedure = factories.procedure(level=level, active=active)
    if listed_for != "nobody":
        procedure.agencies.set([agencies[name] for name in listed_for.split("+")])

    assert (procedure in procedures_offered_by(ward)) is offered


def test_a_province_offers_its_own_level_and_what_lists_it(province, ward):
    provincial = factories.procedure(level=Procedure.Level.PROVINCE)
    listed = factories.procedure()
    listed.agencies.set([province])
    factories.procedure()  # commune level, listed for nobody: every commune, not the province

    assert set(procedures_offered_by(province)) == {provincial, listed}


def test_offering_takes_one_query_whatever_the_catalogue_size(ward, province, django_assert_num_queries):
    for n in range(15):
        factories.procedure().agencies.set([province] if n % 2 else [])

    with django_assert_num_queries(1):
        assert len(list(procedures_offered_by(ward))) == 15


SEARCHES = [
    ("dang ky khai sinh", {"1.001193"}),
    ("ĐĂNG KÝ KHAI SINH", {"1.001193"}),
    ("khai sinh dang ky", {"1.001193"}),
    ("Đăng ký", {"1.001193", "1.000894"}),
    ("ket hon", {"1.000894"}),
    ("chung thuc ban sao", {"2.000815"}),
    ("2.000815", {"2.000815"}),
    ("  ", {"1.001193", "1.000894", "2.000815"}),
    ("100%_", set()),
    ("khai tu", set()),
]


@pytest.mark.parametrize(("text", "codes"), SEARCHES)
def test_search_ignores_diacritics_case_and_word_order(db, text, codes):
    factories.procedure(code="1.001193", name="Đăng ký khai sinh")
    factories.procedure(code="1.000894", name="Đăng ký kết hôn")
    factories.procedure(code="2.000815", name="Chứng thực bản sao từ bản chính")

    found = search_procedures(Procedure.objects.all(), text)

    assert set(found.values_list("code", flat=True)) == codes


def test_search_is_served_by_the_trigram_index(db):
    factories.procedure(code="1.001193", name="Đăng ký khai sinh")
    query = search_procedures(Procedure.objects.order_by(), "khai sinh")
    sql, params = query.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(r[0] for r in cursor.fetchall())

    assert "procedure_search_trgm" in plan
