"""Documents over HTTP: forms, uploads, downloads, reuse and the register, scoped to the agency's staff."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.documents.registers import HEADERS
from dossiers.documents.uploads import attach_component
from dossiers.lifecycle.events import record_event
from dossiers.models import Document, Status
from tests import factories
from tests.dossiers.test_forms_pdf import pdf_text
from tests.dossiers.test_uploads import EXE, PDF


@pytest.fixture
def api(clerk):
    client = APIClient()
    client.force_authenticate(type(clerk).objects.get(pk=clerk.pk))  # not the fixture's object (cached roles)
    return client


@pytest.fixture
def outsider(province):
    other_ward = factories.agency(parent=province, name="Phường Khác")
    client = APIClient()
    client.force_authenticate(factories.user(role=Role.CLERK, agency=other_ward))
    return client


@pytest.fixture
def received(ward, clerk, birth_registration):
    d = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, received_by=clerk
    )
    record_event(d, "receive", actor=clerk)
    return d


@pytest.mark.parametrize("prefix", ["/api/v1", ""])
def test_staff_print_the_receipt_from_the_api_and_the_dossier_page(prefix, api, client, clerk, received):
    client.force_login(clerk)
    response = (api if prefix else client).get(f"{prefix}/dossiers/{received.code}/forms/01.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert received.code in pdf_text(b"".join(getattr(response, "streaming_content", [response.content])))


def test_staff_of_another_agency_get_not_found(outsider, received):
    response = outsider.get(f"/api/v1/dossiers/{received.code}/forms/01.pdf")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("Không tìm thấy")


def test_a_form_that_does_not_apply_is_a_409_with_a_clear_message(api, received):
    response = api.get(f"/api/v1/dossiers/{received.code}/forms/03.pdf")
    assert response.status_code == 409 and response.json()["error"]["code"] == "form_not_applicable"


def test_anonymous_users_are_sent_to_log_in(client, received):
    assert client.get(f"/dossiers/{received.code}/forms/01.pdf").status_code == 302
    assert APIClient().get(f"/api/v1/dossiers/{received.code}/forms/01.pdf").status_code in (401, 403)


def test_upload_list_and_download(api, media_root, received):
    requirement = received.procedure.requirements.first()
    response = api.post(
        f"/api/v1/dossiers/{received.code}/documents/",
        {"file": SimpleUploadedFile("to-khai.pdf", PDF), "requirement": requirement.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["requirement_name"] == requirement.name and body["content_type"] == "application/pdf"
    listed = api.get(f"/api/v1/dossiers/{received.code}/documents/").json()
    assert [d["id"] for d in listed] == [body["id"]]
    download = api.get(body["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_renamed_executable_is_refused_with_the_error_format(api, media_root, received):
    response = api.post(
        f"/api/v1/dossiers/{received.code}/documents/",
        {"file": SimpleUploadedFile("to-khai.pdf", EXE)},
        format="multipart",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (
        error["code"] == "file_type"
        and "PDF, JPEG hoặc PNG" in error["message"]
        and "file" in error["fields"]
    )
    assert not Document.objects.exists()


def test_downloads_are_scoped(outsider, media_root, received, clerk):
    doc = attach_component(received, None, SimpleUploadedFile("a.pdf", PDF), clerk)
    assert outsider.get(f"/api/v1/documents/{doc.pk}/download").status_code == 404


def test_listing_documents_takes_constant_queries(
    api, media_root, received, clerk, django_assert_num_queries
):
    for i in range(5):
        attach_component(received, None, SimpleUploadedFile(f"{i}.pdf", PDF), clerk)
    # session/token auth, the scoped dossier (membership lookup + dossier), the documents
    with django_assert_num_queries(3):
        assert len(api.get(f"/api/v1/dossiers/{received.code}/documents/").json()) == 5


def test_reuse_through_the_api(api, media_root, received, ward, birth_registration, clerk):
    earlier = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    source = attach_component(earlier, None, SimpleUploadedFile("a.pdf", PDF), clerk)
    offered = api.get(f"/api/v1/dossiers/{received.code}/reusable-documents/").json()
    assert [d["id"] for d in offered] == [source.pk]
    requirement = received.procedure.requirements.first()
    response = api.post(
        f"/api/v1/dossiers/{received.code}/documents/reuse/",
        {"document": source.pk, "requirement": requirement.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["reused_from"] == source.pk


class TestRegister:
    """Mẫu 07: the dossiers an agency received over a period, as A4 landscape PDF and as XLSX."""

    @pytest.fixture
    def period(self, ward, birth_registration):
        tz = dt.timezone(dt.timedelta(hours=7))
        for day in (1, 15, 30):
            factories.dossier(
                procedure=birth_registration,
                agency=ward,
                status=Status.RECEIVED,
                received_at=dt.datetime(2026, 11, day, 8, tzinfo=tz),
            )
        factories.dossier(
            procedure=birth_registration, agency=ward, received_at=dt.datetime(2026, 12, 1, 8, tzinfo=tz)
        )
        return f"agency={ward.pk}&from=2026-11-01&to=2026-11-30"

    def test_pdf_is_a4_and_lists_the_period(self, api, period):
        response = api.get(f"/api/v1/registers/form-07.pdf?{period}")
        assert response.status_code == 200
        from pypdf import PdfReader

        box = PdfReader(BytesIO(response.content)).pages[0].mediabox
        assert sorted((round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4))) == [
            210,
            297,
        ]
        text = pdf_text(response.content)
        assert "SỔ THEO DÕI HỒ SƠ" in text and "3 hồ sơ" in text and "30/11/2026" in text

    def test_xlsx_has_a_row_per_dossier(self, client, clerk, period):
        client.force_login(clerk)
        response = client.get(f"/registers/form-07.xlsx?{period}")
        ws = load_workbook(BytesIO(response.content)).active
        assert ws["B2"].value == "Mã hồ sơ" and ws.max_row == 2 + 3
        assert ws["H3"].value == dt.datetime(2026, 11, 1, 8, 0)
        assert [c.value for c in ws[2]] == HEADERS

    def test_other_agencies_and_bad_periods_are_refused(self, outsider, api, period, ward):
        assert outsider.get(f"/api/v1/registers/form-07.pdf?{period}").status_code == 403
        bad = api.get(f"/api/v1/registers/form-07.pdf?agency={ward.pk}&from=2026-12-01&to=2026-11-01")
        assert bad.status_code == 400 and bad.json()["error"]["message"]
        assert api.get("/api/v1/registers/form-07.pdf?agency=x").status_code == 400

    def test_register_rows_take_one_query(self, period, ward, django_assert_num_queries):
        from dossiers.documents.registers import register_rows

        with django_assert_num_queries(1):
            assert len(register_rows(ward, dt.date(2026, 11, 1), dt.date(2026, 11, 30))) == 3
