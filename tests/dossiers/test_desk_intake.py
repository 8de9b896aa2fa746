"""Counter intake: search without diacritics, checklist, live appointment, per-field errors, scans."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Document, Dossier, Status
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, vn
from tests.pdfs import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    return client


def _post(procedure, ward, **overrides):
    data = {
        "procedure": procedure.pk,
        "agency": ward.pk,
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001190012345",
        "applicant_phone": "0912345678",
        "applicant_address": "12 Hàng Bạc",
        "sets": "1",
    }
    for req in procedure.requirements.all():
        data[f"provided_{req.pk}"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("typed", ["khai sinh", "KHAI SINH", "Đăng ký khai", "dang ky khai sinh", "1.001193"])
def test_procedure_found_by_typing_with_or_without_diacritics(desk, birth_registration, typed):
    factories.procedure(name="Chứng thực chữ ký", days=0)

    page = desk.get("/desk/intake/", {"q": typed}).content.decode()
    partial = desk.get("/desk/intake/procedures/", {"q": typed}).content.decode()

    for html in (page, partial):
        assert "Đăng ký khai sinh" in html
        assert "Chứng thực chữ ký" not in html
    assert "<html" not in partial


def test_choosing_a_procedure_shows_its_checklist_and_the_appointment(desk, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        page = desk.get("/desk/intake/", {"procedure": birth_registration.pk}).content.decode()
        partial = desk.get("/desk/intake/form/", {"procedure": birth_registration.pk}).content.decode()
        due = desk.get("/desk/intake/appointment/", {"procedure": birth_registration.pk}).content.decode()

    for html in (page, partial):
        assert "Tờ khai" in html and "Giấy chứng sinh" in html
        assert 'type="file"' in html
    # 3 working days from Monday 2 March 2026 09:00 -> Thursday 5 March 17:00
    assert "05/03/2026" in due and "17:00" in due


def test_receiving_leads_to_the_dossier_page_with_the_receipt_to_print(desk, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        response = desk.post("/desk/intake/", _post(birth_registration, ward))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dossiers/{dossier.code}/"
    assert dossier.status == Status.RECEIVED
    page = desk.get(response.url).content.decode()
    assert f"/dossiers/{dossier.code}/forms/01.pdf" in page
    assert "Đã tiếp nhận hồ sơ" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_id_number", "12345", "12 chữ số"),
        ("applicant_id_number", "999190012345", "Mã tỉnh 999"),
        ("applicant_phone", "12345", "Số điện thoại không hợp lệ"),
        ("applicant_email", "khong-phai-email", "thư điện tử không hợp lệ"),
        ("applicant_name", "", "bắt buộc"),
    ],
)
def test_bad_applicant_fields_are_shown_beside_the_field(
    desk, ward, birth_registration, field, value, message
):
    response = desk.post("/desk/intake/", _post(birth_registration, ward, **{field: value}))

    assert response.status_code == 400
    html = response.content.decode()
    error_at = html.find(f'id="id_{field}-error"')
    assert error_at != -1
    assert message.lower() in html[error_at : error_at + 300].lower()
    assert Dossier.objects.count() == 0


def test_missing_required_component_is_refused_with_its_name(desk, ward, birth_registration):
    second = birth_registration.requirements.get(name="Giấy chứng sinh")

    response = desk.post("/desk/intake/", _post(birth_registration, ward, **{f"provided_{second.pk}": None}))

    assert response.status_code == 400
    assert "Giấy chứng sinh" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_incomplete_dossier_can_be_received_with_a_supplement_request(desk, ward, birth_registration):
    second = birth_registration.requirements.get(name="Giấy chứng sinh")
    data = _post(birth_registration, ward, supplement_now="on", supplement_reason="Chưa mang theo")
    data.pop(f"provided_{second.pk}")

    response = desk.post("/desk/intake/", data)

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    event = dossier.events.get(action="request_supplement")
    assert event.payload["missing"][0]["name"] == "Giấy chứng sinh"


def test_scans_are_attached_in_the_same_request(desk, ward, birth_registration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = birth_registration.requirements.get(name="Tờ khai")
    scan = SimpleUploadedFile("to-khai.pdf", blank_pdf(), content_type="application/pdf")

    response = desk.post("/desk/intake/", {**_post(birth_registration, ward), f"file_{first.pk}": scan})

    assert response.status_code == 302
    doc = Document.objects.get(kind=Document.Kind.COMPONENT)
    assert doc.requirement_id == first.pk and doc.digitised


def test_only_clerks_have_the_intake(client, handler):
    client.force_login(handler)

    assert client.get("/desk/intake/").status_code == 404


@pytest.mark.parametrize(
    ("when", "warning"),
    [
        (MONDAY_9AM, None),
        (vn(2026, 3, 2, 18, 0), "Tiếp nhận ngoài giờ làm việc"),
        (vn(2026, 3, 7, 9, 0), "Tiếp nhận vào ngày nghỉ"),
    ],
)
def test_intake_outside_office_hours_is_allowed_with_a_warning(desk, ward, birth_registration, when, warning):
    with time_machine.travel(when, tick=False):
        due = desk.get("/desk/intake/appointment/", {"procedure": birth_registration.pk}).content.decode()
        response = desk.post("/desk/intake/", _post(birth_registration, ward), follow=True)
    assert response.status_code == 200 and Dossier.objects.get().status == Status.RECEIVED
    page = response.content.decode()
    if warning is None:
        assert "intake-warning" not in due and "thời gian giải quyết được tính từ" not in page
    else:
        assert warning in due and "thời gian giải quyết được tính từ ngày" in due
        assert warning in page
