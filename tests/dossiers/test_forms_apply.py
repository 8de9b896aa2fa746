"""Which printed forms a dossier has is one rule (issuing.forms_that_apply): the dossier page lists those, the
API's detail lists those, and the PDF endpoints print those and refuse the others."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from dossiers.documents.issuing import DOSSIER_FORMS, FORM_NAMES, forms_that_apply
from dossiers.lifecycle.actions import expire_supplement
from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, Status
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, intake, vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(ward):
    user = factories.user(role=Role.CLERK, agency=ward)
    Membership.objects.create(user=user, agency=ward, role=Role.HANDLER)
    return user


def received(staff, ward, procedure):
    return intake(staff, ward, procedure)


def supplement_requested(staff, ward, procedure):
    d = intake(staff, ward, procedure)
    req = procedure.requirements.first()
    missing = [{"requirement_id": req.pk, "name": req.name, "reason": "Bản chụp mờ"}]
    return perform(d.code, "request_supplement", staff, {"missing": missing})


def apologised(staff, ward, procedure):
    d = intake(staff, ward, procedure)
    return perform(d.code, "apologize", staff, {"reason": "Cần xác minh", "new_due_date": "2026-03-12"})


def stopped(staff, ward, procedure):
    d = intake(staff, ward, procedure)
    return perform(
        d.code,
        "stop",
        staff,
        {"reason": "Không đủ điều kiện", "legal_ground": "Nghị định số 118/2025/NĐ-CP"},
    )


def supplement_expired(staff, ward, procedure):
    """The sweep stops a dossier whose supplement request went unanswered: it too gets Mẫu 05."""
    d = supplement_requested(staff, ward, procedure)
    with time_machine.travel(d.supplement_due_at + dt.timedelta(minutes=1), tick=False):
        return expire_supplement(d.pk)


def refused_at_intake(staff, ward, procedure):
    d = factories.dossier(procedure=procedure, agency=ward, status=Status.SUBMITTED)
    Dossier.objects.filter(pk=d.pk).update(received_at=None, clock_started_at=None)  # online, not received
    return perform(d.code, "refuse_intake", staff, {"reason": "Không thuộc thẩm quyền"})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (received, ["01", "06"]),
        (supplement_requested, ["01", "02", "06"]),
        (apologised, ["01", "04", "06"]),
        (stopped, ["01", "05", "06"]),
        (supplement_expired, ["01", "02", "05", "06"]),
        (refused_at_intake, ["03"]),
    ],
)
def test_the_page_the_api_and_the_pdf_endpoint_agree_on_the_forms(
    client, staff, ward, birth_registration, make, expected
):
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = make(staff, ward, birth_registration)
    api = APIClient()
    api.force_authenticate(staff)
    client.force_login(staff)

    with time_machine.travel(vn(2026, 3, 2, 10), tick=False):
        assert forms_that_apply(Dossier.objects.get(pk=d.pk)) == expected
        page = client.get(f"/dossiers/{d.code}/")
        detail = api.get(f"/api/v1/dossiers/{d.code}/").json()
        answers = {n: api.get(f"/api/v1/dossiers/{d.code}/forms/{n}.pdf").status_code for n in DOSSIER_FORMS}
        register = api.get(f"/api/v1/dossiers/{d.code}/forms/07.pdf")

    assert [number for number, _title in page.context["forms"]] == expected
    assert [f["number"] for f in detail["printable_forms"]] == expected
    assert detail["printable_forms"][0]["url"] == f"/api/v1/dossiers/{d.code}/forms/{expected[0]}.pdf"
    assert {n for n, status in answers.items() if status == 200} == set(expected)
    assert {status for n, status in answers.items() if n not in expected} <= {409}
    assert register.status_code == 404  # Mẫu 07 is the agency's register, not a dossier's form


def test_the_forms_are_named_by_their_number_and_exact_title_everywhere(
    client, staff, ward, birth_registration
):
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = stopped(staff, ward, birth_registration)
    api = APIClient()
    api.force_authenticate(staff)
    client.force_login(staff)
    detail = api.get(f"/api/v1/dossiers/{d.code}/").json()
    assert detail["printable_forms"] == [
        {"number": n, "name": FORM_NAMES[n], "url": f"/api/v1/dossiers/{d.code}/forms/{n}.pdf"}
        for n in ("01", "05", "06")
    ]
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert f'href="/dossiers/{d.code}/forms/05.pdf"' in html
    assert "Mẫu số 05: Thông báo dừng giải quyết hồ sơ" in html
    response = api.get(f"/api/v1/dossiers/{d.code}/forms/05.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="mau-05-{d.code}.pdf"' in response["Content-Disposition"]


def test_the_titles_are_those_of_circular_03_2025():
    assert FORM_NAMES == {
        "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "04": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "05": "Thông báo dừng giải quyết hồ sơ",
        "06": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "07": "Sổ theo dõi hồ sơ",
    }
    assert DOSSIER_FORMS == ("01", "02", "03", "04", "05", "06")
