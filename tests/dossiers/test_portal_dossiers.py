"""The citizen's own dossiers in the portal: "Hồ sơ của tôi", a supplement answered online, withdrawal,
rating, the refusal with Mẫu 03, and the signed e-result that returns a full-online dossier."""

from __future__ import annotations

import pytest

from config.errors import Conflict, InvalidInput
from dossiers.documents.issuing import issue_result_document
from dossiers.lifecycle import portal, services
from dossiers.models import Dossier, Notification, OutboxMessage, Status
from dossiers.models.dossier import RUNNING
from procedures.calendar import local
from procedures.models import Procedure
from tests import factories
from tests.dossiers.portal_helpers import file_online, pdf_upload

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def online_procedure(db):
    return factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)


@pytest.fixture
def citizen(db):
    return factories.citizen(national_id="001190012345", full_name="Trần Thị Bình", email="binh@example.vn")


@pytest.fixture
def filed(citizen, ward, online_procedure, clerk):
    return file_online(citizen, ward, online_procedure)


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def ask_supplement(dossier, clerk):
    services.receive(dossier.code, clerk)
    requirement = dossier.procedure.requirements.first()
    missing = [
        {"requirement_id": requirement.pk, "name": requirement.name, "reason": "Ảnh mờ, không đọc được"}
    ]
    return services.request_supplement(dossier.code, clerk, {"missing": missing}), requirement


def test_my_dossiers_lists_each_with_status_and_what_is_asked(
    client, citizen, filed, clerk, ward, online_procedure, django_assert_num_queries
):
    ask_supplement(filed, clerk)
    file_online(citizen, ward, online_procedure)
    file_online(citizen, ward, online_procedure)
    factories.dossier(procedure=online_procedure, agency=ward)  # someone else's, filed at the counter
    client.force_login(citizen)
    client.get("/cong-dan/")  # the session and the catalogue of translations warmed up
    with django_assert_num_queries(7):  # session, user, roles, unread, drafts, count, one page of dossiers
        page = client.get("/cong-dan/").content.decode()
    assert page.count("/cong-dan/ho-so/") == 4  # three dossiers, one with its supplement link
    assert "Cần bổ sung giấy tờ" in page and "Mới đăng ký" in page


def test_the_supplement_page_lists_exactly_what_was_asked_and_by_when(client, citizen, filed, clerk):
    dossier, requirement = ask_supplement(filed, clerk)
    client.force_login(citizen)
    page = client.get(f"/cong-dan/ho-so/{dossier.code}/bo-sung/").content.decode()
    assert "Ảnh mờ, không đọc được" in page and requirement.name in page
    assert local(dossier.supplement_due_at).strftime("%d/%m/%Y %H:%M") in page
    assert f'name="file_{requirement.pk}"' in page
    assert page.count('type="file"') == 1


def test_answering_the_supplement_online_resumes_the_clock(client, citizen, filed, clerk):
    dossier, requirement = ask_supplement(filed, clerk)
    assert fresh(dossier).status == Status.SUPPLEMENT_REQUESTED
    client.force_login(citizen)
    response = client.post(
        f"/cong-dan/ho-so/{dossier.code}/bo-sung/", {f"file_{requirement.pk}": pdf_upload(), "note": "Ảnh rõ"}
    )
    assert response.status_code == 302
    after = fresh(dossier)
    assert after.status in RUNNING and after.paused_at is None and after.supplement_due_at is None
    event = after.events.get(action="supplement")
    assert event.actor == citizen and event.payload["provided_requirement_ids"] == [requirement.pk]
    assert after.documents.filter(requirement=requirement).count() == 2  # the first and the supplement


def test_a_supplement_without_the_asked_component_is_refused(citizen, filed, clerk):
    dossier, _requirement = ask_supplement(filed, clerk)
    with pytest.raises(InvalidInput) as refused:
        portal.answer_supplement(citizen, fresh(dossier), {})
    assert refused.value.code == "components_missing"
    assert fresh(dossier).status == Status.SUPPLEMENT_REQUESTED


def test_the_citizen_withdraws_with_a_reason(client, citizen, filed):
    client.force_login(citizen)
    client.post(f"/cong-dan/ho-so/{filed.code}/rut/", {"reason": "Nộp nhầm thủ tục"})
    after = fresh(filed)
    assert after.status == Status.WITHDRAWN and after.outcome_note == "Nộp nhầm thủ tục"


def test_withdrawing_needs_a_reason(client, citizen, filed):
    client.force_login(citizen)
    response = client.post(f"/cong-dan/ho-so/{filed.code}/rut/", {"reason": " "})
    assert response.status_code == 400 and "bắt buộc" in response.content.decode()
    assert fresh(filed).status == Status.SUBMITTED


def test_a_refusal_reaches_the_citizen_with_the_refusal_form(client, citizen, filed, clerk):
    services.refuse_intake(filed.code, clerk, {"reason": "Thủ tục không thuộc thẩm quyền của phường"})
    note = Notification.objects.get(user=citizen, dossier=filed, kind="refusal")
    assert "Thủ tục không thuộc thẩm quyền của phường" in note.body and "Mẫu số 03" in note.body
    assert OutboxMessage.objects.filter(dossier_id=filed.pk, payload__kind="refusal").count() == 2
    client.force_login(citizen)
    page = client.get(f"/cong-dan/ho-so/{filed.code}/").content.decode()
    assert f"/cong-dan/ho-so/{filed.code}/mau-03.pdf" in page
    pdf = client.get(f"/cong-dan/ho-so/{filed.code}/mau-03.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def resolve(dossier, clerk, handler, leader):
    services.receive(dossier.code, clerk)
    services.forward(dossier.code, clerk)
    services.forward(dossier.code, handler)
    factories.result_draft(dossier, handler)  # the leader approves the handler's draft
    return services.resolve(dossier.code, leader, {"outcome": "approved", "draft_version": 1})


def test_a_full_online_dossier_is_returned_electronically_with_its_signed_result(
    client, pki, citizen, filed, clerk, handler, leader
):
    resolve(filed, clerk, handler, leader)
    issue_result_document(filed.pk)  # what the worker's task does
    after = fresh(filed)
    assert after.status == Status.RETURNED and after.return_method == Dossier.ReturnMethod.ELECTRONIC
    assert after.events.filter(action="return_electronic", actor=None).count() == 1
    client.force_login(citizen)
    page = client.get(f"/cong-dan/ho-so/{filed.code}/").content.decode()
    assert "Tải kết quả đã ký số" in page and "Đã trả kết quả điện tử" in page
    result = client.get(f"/cong-dan/ho-so/{filed.code}/ket-qua.pdf")
    assert result.status_code == 200 and b"".join(result.streaming_content).startswith(b"%PDF")


def test_a_partial_online_dossier_waits_for_the_counter_to_return_it(
    pki, citizen, ward, clerk, handler, leader
):
    partial = factories.procedure(online_level=Procedure.OnlineLevel.PARTIAL)
    dossier = file_online(citizen, ward, partial)
    resolve(dossier, clerk, handler, leader)
    issue_result_document(dossier.pk)
    assert fresh(dossier).status == Status.RESOLVED


def test_rating_once_after_the_return(client, pki, citizen, filed, clerk, handler, leader):
    resolve(filed, clerk, handler, leader)
    issue_result_document(filed.pk)
    client.force_login(citizen)
    client.post(f"/cong-dan/ho-so/{filed.code}/danh-gia/", {"satisfaction": "very_satisfied"})
    assert fresh(filed).satisfaction == "very_satisfied"
    with pytest.raises(Conflict):
        portal.rate(citizen, fresh(filed), "dissatisfied")
    second = client.post(f"/cong-dan/ho-so/{filed.code}/danh-gia/", {"satisfaction": "dissatisfied"})
    assert second.status_code == 409 and fresh(filed).satisfaction == "very_satisfied"
