"""Which printed forms a dossier has is one rule (issuing.forms_that_apply): the dossier page lists those, the
API's detail lists those, and the PDF endpoints print those and refuse the others."""

from __future__ import annotations

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Membership, Role
from dossiers.documents.issuing import FORM_NAMES, forms_that_apply
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


def refused_at_intake(staff, ward, procedure):
    d = factories.dossier(procedure=procedure, agency=ward, status=Status.SUBMITTED)
    Dossier.objects.filter(pk=d.pk).update(received_at=None, clock_started_at=None)  # online, not received
    return perform(d.code, "refuse_intake", staff, {"reason": "Không thuộc thẩm quyền"})


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (received, ["01", "05"]),
        (supplement_requested, ["01", "02", "05"]),
        (apologised, ["01", "04", "05"]),
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
        answers = {n: api.get(f"/api/v1/dossiers/{d.code}/forms/{n}.pdf").status_code for n in FORM_NAMES}

    assert [number for number, _title in page.context["forms"]] == expected
    assert [f["number"] for f in detail["printable_forms"]] == expected
    assert detail["printable_forms"][0]["url"] == f"/api/v1/dossiers/{d.code}/forms/{expected[0]}.pdf"
    assert {n for n, status in answers.items() if status == 200} == set(expected)
    assert {status for n, status in answers.items() if n not in expected} <= {409}
