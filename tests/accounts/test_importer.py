"""import_agencies loads every province and commune of the vietnam-provinces data, once."""

import re

import pytest

from accounts.importer import commune_agency_code, import_agencies, province_agency_code
from accounts.models import Agency

# The vietnam-provinces package (2025 two-level administration) holds exactly these counts.
PROVINCES, COMMUNES = 34, 3321


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Import once for the module (the rows live in a transaction rolled back at the end)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        first = import_agencies()
        second = import_agencies()
        yield first, second
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("pp", "index", "code"),
    [
        ("01", 1, "000.00.01.H01"),
        ("56", 99, "000.00.99.H56"),
        ("79", 100, "000.01.00.H79"),
        ("79", 168, "000.01.68.H79"),
    ],
)
def test_placeholder_commune_codes_follow_the_decision_20_shape(pp, index, code):
    assert commune_agency_code(pp, index) == code


def test_placeholder_province_code():
    assert province_agency_code("56") == "000.00.00.H56"


def test_import_creates_every_province_and_commune(imported, db):
    first, _ = imported
    assert first.created == PROVINCES + COMMUNES
    assert Agency.objects.filter(level=Agency.Level.PROVINCE).count() == PROVINCES
    assert Agency.objects.filter(level=Agency.Level.COMMUNE).count() == COMMUNES
    assert not Agency.objects.filter(level=Agency.Level.COMMUNE, parent=None).exists()


def test_a_second_import_creates_and_updates_nothing(imported, db):
    _, second = imported
    assert (second.created, second.updated, second.unchanged) == (0, 0, PROVINCES + COMMUNES)


def test_imported_rows_are_real_places_with_well_formed_codes(imported, db):
    hanoi = Agency.objects.get(level=Agency.Level.PROVINCE, province_code="01")
    assert (hanoi.name, hanoi.code) == ("Thành phố Hà Nội", "000.00.00.H01")
    assert Agency.objects.get(province_code="56", level=Agency.Level.PROVINCE).name == "Tỉnh Khánh Hòa"
    hoan_kiem = Agency.objects.get(province_code="01", ward_code="00070")
    assert (hoan_kiem.name, hoan_kiem.parent_id) == ("Phường Hoàn Kiếm", hanoi.pk)
    shape = re.compile(r"^000\.\d{2}\.\d{2}\.H\d{2}$")
    assert all(shape.match(c) for c in Agency.objects.values_list("code", flat=True))


def test_reimport_keeps_an_operator_set_code_and_restores_the_name(imported, db):
    ward = Agency.objects.get(province_code="01", ward_code="00070")
    Agency.objects.filter(pk=ward.pk).update(code="000.11.22.H01", name="Tên cũ")
    result = import_agencies(["01"])
    ward.refresh_from_db()
    assert (ward.code, ward.name) == ("000.11.22.H01", "Phường Hoàn Kiếm")
    assert (result.created, result.updated) == (0, 1)
