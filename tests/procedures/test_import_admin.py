"""Specification of the catalogue admin: Vietnamese screens, folded search, versioned edits, import page."""

import io

import pytest
from django.urls import reverse

from procedures.models import CalendarOverride, Procedure
from tests import factories

CSV = (
    "code,name,sector_code,sector_name,level,online_level,time_unit,legal_days\n"
    "1.001193,Đăng ký khai sinh,hotich,Hộ tịch,commune,full,same_day,0\n"
)


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    return client


def upload(text: str) -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = "catalogue.csv"
    return data


def form_data(response) -> dict:
    """The POST body the change page would send unchanged: main form and every inline formset."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_the_changelist_search_ignores_diacritics(admin_client):
    factories.procedure(code="1.001193", name="Đăng ký khai sinh")
    factories.procedure(code="1.000894", name="Đăng ký kết hôn")

    response = admin_client.get(reverse("admin:procedures_procedure_changelist"), {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    assert [p.code for p in response.context["cl"].result_list] == ["1.001193"]
    assert "Nhập từ CSV/XLSX" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "admin:procedures_sector_changelist",
        "admin:procedures_procedure_add",
        "admin:procedures_calendaroverride_changelist",
        "admin:procedures_calendaroverride_add",
        "admin:procedures_procedure_import",
    ],
)
def test_every_catalogue_screen_opens(admin_client, url):
    CalendarOverride.objects.create(date="2026-09-03", is_working=False, reason="Nghỉ bù")

    assert admin_client.get(reverse(url)).status_code == 200


def test_the_change_page_shows_components_steps_and_fees_in_vietnamese(admin_client, birth_registration):
    response = admin_client.get(reverse("admin:procedures_procedure_change", args=[birth_registration.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert all(text in page for text in ["Thành phần hồ sơ", "Bước xử lý", "Phí, lệ phí", "Giấy chứng sinh"])


def test_an_edit_of_a_component_bumps_the_version_once(admin_client, birth_registration):
    url = reverse("admin:procedures_procedure_change", args=[birth_registration.pk])
    data = form_data(admin_client.get(url))
    data["requirements-0-name"] = "Tờ khai đăng ký khai sinh (mẫu mới)"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    birth_registration.refresh_from_db()
    assert birth_registration.version == 2
    assert birth_registration.requirements.first().name == "Tờ khai đăng ký khai sinh (mẫu mới)"


def test_saving_without_changes_keeps_the_version(admin_client, birth_registration):
    url = reverse("admin:procedures_procedure_change", args=[birth_registration.pk])

    assert admin_client.post(url, form_data(admin_client.get(url))).status_code == 302

    birth_registration.refresh_from_db()
    assert birth_registration.version == 1


def test_the_import_page_imports_a_good_file(admin_client):
    response = admin_client.post(reverse("admin:procedures_procedure_import"), {"file": upload(CSV)})

    assert response.status_code == 302
    assert Procedure.objects.get().code == "1.001193"


def test_the_import_page_lists_bad_rows_and_writes_nothing(admin_client):
    bad = CSV + "1.000656,,hotich,Hộ tịch,xã,full,same_day,0\n"

    response = admin_client.post(reverse("admin:procedures_procedure_import"), {"file": upload(bad)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>3</td><td>name (B)</td><td>không được để trống.</td>" in page
    assert "<td>3</td><td>level (E)</td><td>giá trị “xã” không hợp lệ" in page
    assert "Tệp có 2 lỗi; chưa nhập thủ tục nào." in page
    assert not Procedure.objects.exists()


def test_the_deactivate_action_withdraws_procedures(admin_client, birth_registration):
    admin_client.post(
        reverse("admin:procedures_procedure_changelist"),
        {"action": "deactivate", "_selected_action": [birth_registration.pk]},
    )

    birth_registration.refresh_from_db()
    assert birth_registration.active is False
