"""The citizen's API: own dossiers only, filing online through a draft, answering a supplement, withdrawing
and rating; the same services and refusals as the portal pages."""

from __future__ import annotations

import pytest

from dossiers.lifecycle import services
from dossiers.models import Dossier, Status
from procedures.models import Procedure
from tests import factories
from tests.dossiers.portal_helpers import file_online, pdf_upload
from tests.helpers import client_for

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def online_procedure(db):
    return factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)


@pytest.fixture
def citizen(db):
    return factories.citizen(national_id="001190012345", full_name="Trần Thị Bình")


def test_filing_online_through_the_api(citizen, ward, online_procedure):
    api = client_for(citizen)
    draft = api.post(
        "/api/v1/portal/drafts/", {"procedure": online_procedure.code, "agency": ward.code}, format="json"
    )
    assert draft.status_code == 201, draft.content
    draft_id = draft.json()["id"]
    assert draft.json()["applicant_id_number"] == "001190012345"
    saved = api.patch(
        f"/api/v1/portal/drafts/{draft_id}/", {"applicant_address": "1 Tràng Tiền"}, format="json"
    )
    assert saved.json()["applicant_address"] == "1 Tràng Tiền"
    for requirement in online_procedure.requirements.all():
        uploaded = api.post(
            f"/api/v1/portal/drafts/{draft_id}/components/",
            {"requirement": requirement.pk, "file": pdf_upload()},
            format="multipart",
        )
        assert uploaded.status_code == 201, uploaded.content
    submitted = api.post(f"/api/v1/portal/drafts/{draft_id}/submit/")
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert body["status"] == "submitted" and body["national_status_code"] == 1
    assert len(body["files"]) == 2 and body["timeline"][0]["text"] == "Đã nộp hồ sơ trực tuyến"
    listed = api.get("/api/v1/portal/dossiers/").json()["results"]
    assert [d["code"] for d in listed] == [body["code"]]


def test_the_timeline_follows_the_users_language(citizen, ward, online_procedure, settings):
    dossier = file_online(citizen, ward, online_procedure)
    api = client_for(citizen)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = api.get(f"/api/v1/portal/dossiers/{dossier.code}/").json()
    assert body["timeline"][0]["text"] == "Dossier filed online"


def test_answering_a_supplement_through_the_api(citizen, ward, online_procedure, clerk):
    dossier = file_online(citizen, ward, online_procedure)
    services.receive(dossier.code, clerk)
    requirement = online_procedure.requirements.first()
    missing = [{"requirement_id": requirement.pk, "name": requirement.name, "reason": "Thiếu chữ ký"}]
    services.request_supplement(dossier.code, clerk, {"missing": missing})
    api = client_for(citizen)
    asked = api.get(f"/api/v1/portal/dossiers/{dossier.code}/").json()["asked"]
    assert asked["missing"] == missing and asked["supplement_due_at"]
    answer = api.post(
        f"/api/v1/portal/dossiers/{dossier.code}/supplement/",
        {"requirement": [requirement.pk], "file": [pdf_upload()], "note": "Đã ký"},
        format="multipart",
    )
    assert answer.status_code == 200, answer.content
    assert Dossier.objects.get(pk=dossier.pk).status != Status.SUPPLEMENT_REQUESTED


def test_withdrawing_through_the_api(citizen, ward, online_procedure):
    dossier = file_online(citizen, ward, online_procedure)
    answer = client_for(citizen).post(
        f"/api/v1/portal/dossiers/{dossier.code}/withdraw/", {"reason": "Nộp nhầm"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"


def test_rating_before_the_return_is_a_conflict(citizen, ward, online_procedure):
    dossier = file_online(citizen, ward, online_procedure)
    answer = client_for(citizen).post(
        f"/api/v1/portal/dossiers/{dossier.code}/rating/", {"satisfaction": "satisfied"}, format="json"
    )
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_returned"


def test_the_list_is_the_citizens_own_only(citizen, ward, online_procedure, django_assert_num_queries):
    other = factories.citizen()
    file_online(other, ward, online_procedure)
    mine = [file_online(citizen, ward, online_procedure) for _ in range(3)]
    api = client_for(citizen)
    api.get("/api/v1/portal/dossiers/")
    with django_assert_num_queries(1):  # one page of rows with their procedure and agency joined
        listed = api.get("/api/v1/portal/dossiers/").json()["results"]
    assert sorted(d["code"] for d in listed) == sorted(d.code for d in mine)
