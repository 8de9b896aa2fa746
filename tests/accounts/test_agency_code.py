"""Agency codes have the e-ID shape of Decision 20/2020/QĐ-TTg (000.00.11.H15): checked in the admin, by
the importer, and kept by every test factory."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts import importer
from accounts.models import Agency
from tests import factories


@pytest.mark.parametrize("code", ["000.00.11.H15", "000.00.06.H56", "000.01.68.H79", "123.45.67.Z00"])
def test_well_formed_codes_pass(code):
    Agency._meta.get_field("code").run_validators(code)


@pytest.mark.parametrize(
    "code",
    [
        "000.06.29.T629",  # three digits after the letter
        "000.00.11.h15",  # lower-case letter
        "00.00.11.H15",
        "000.0.11.H15",
        "000-00-11-H15",
        "000.00.11.H15 ",
        "000.00.11.15",
    ],
)
def test_malformed_codes_are_refused_with_a_bilingual_message(code):
    with pytest.raises(ValidationError) as refused:
        Agency._meta.get_field("code").run_validators(code)
    message = refused.value.messages[0]
    assert message.startswith("Mã định danh phải có dạng 000.00.11.H15")
    assert "The agency code must look like 000.00.11.H15" in message


@pytest.mark.django_db
def test_the_admin_shows_the_format_error(client):
    client.force_login(factories.user(username="quantri", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/accounts/agency/add/",
        {"code": "000.06.29.t62", "name": "Phường Sai Mã", "level": "commune", "province_code": "99"},
    )
    assert response.status_code == 200
    assert "Mã định danh phải có dạng 000.00.11.H15" in response.content.decode()
    assert not Agency.objects.filter(name="Phường Sai Mã").exists()


@pytest.mark.django_db
def test_factories_make_valid_codes():
    province = factories.agency()
    agencies = [province, *(factories.agency(parent=province) for _ in range(120))]
    for agency in agencies:
        agency.full_clean()


@pytest.mark.django_db
def test_the_importer_stops_on_a_code_of_the_wrong_shape_and_writes_nothing(monkeypatch):
    monkeypatch.setattr(importer, "commune_agency_code", lambda pp, index: f"000.{index:03d}.00.H{pp}")
    with pytest.raises(importer.AgencyImportError) as refused:
        importer.import_agencies(["56"])
    message = str(refused.value)
    assert "'000.001.00.H56'" in message and "000.00.11.H15" in message
    assert "does not have the shape" in message
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_the_import_command_reports_a_bad_code(monkeypatch):
    monkeypatch.setattr(importer, "province_agency_code", lambda pp: f"000.00.00.H{pp}0")
    with pytest.raises(CommandError, match="000.00.00.H560"):
        call_command("import_agencies", "--province", "56", "--no-progress")
