"""Who may attach files and re-issue results: one rule (workflow.may_attach), enforced by the services
whatever the caller, answered 403 by the API and the desk, and asked by the dossier page to hide the form."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from config.errors import Forbidden
from dossiers.documents.issuing import retry_e_result
from dossiers.documents.uploads import attach_component, reuse_document
from dossiers.models import Document, Dossier, Status
from tests import factories
from tests.dossiers.test_uploads import PDF


@pytest.fixture
def other_ward(province):
    return factories.agency(parent=province, name="Phường Thử Hai")


@pytest.fixture
def received(ward, birth_registration):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


@pytest.fixture
def people(ward, other_ward, clerk, handler, leader, supervisor):
    """Everyone who might try, by name."""
    return {
        "clerk": clerk,
        "handler": handler,
        "leader": leader,
        "supervisor": supervisor,
        "clerk of another ward": factories.user(role=Role.CLERK, agency=other_ward),
        "citizen": factories.user(role=Role.CITIZEN, agency=ward),
    }


def a_file(name: str = "a.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


# --- the service ---


@pytest.mark.parametrize(
    ("who", "component", "allowed"),
    [
        ("clerk", True, True),  # the counter receives and digitises components
        ("clerk", False, True),
        ("handler", False, True),  # working documents of the appraisal
        ("handler", True, False),  # but not the applicant's components
        ("leader", True, False),
        ("supervisor", True, False),
        ("supervisor", False, False),
        ("clerk of another ward", True, False),
        ("citizen", True, False),  # not their dossier
    ],
)
def test_the_service_decides_who_attaches(media_root, people, received, who, component, allowed):
    requirement = received.procedure.requirements.first() if component else None
    if allowed:
        doc = attach_component(received, requirement, a_file(), people[who])
        assert received.events.filter(action="document_attached", payload__document_id=doc.pk).exists()
        return
    with pytest.raises(Forbidden) as refused:
        attach_component(received, requirement, a_file(), people[who])
    assert refused.value.code == "upload_not_allowed"
    assert refused.value.vi.startswith("Bạn không có quyền") and refused.value.en.startswith("You may not")
    assert not received.documents.exists() and not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.DRAFT, True),
        (Status.SUBMITTED, True),
        (Status.SUPPLEMENT_REQUESTED, True),
        (Status.RECEIVED, False),  # the counter holds the file once it is received
        (Status.PROCESSING, False),
    ],
)
def test_the_applicant_who_filed_online_attaches_while_completing_it(
    media_root, people, ward, birth_registration, status, allowed
):
    citizen = people["citizen"]
    d = factories.dossier(procedure=birth_registration, agency=ward, status=status, applicant_user=citizen)
    requirement = birth_registration.requirements.first()
    if allowed:
        assert attach_component(d, requirement, a_file(), citizen).uploaded_by == citizen
    else:
        with pytest.raises(Forbidden):
            attach_component(d, requirement, a_file(), citizen)


def test_no_actor_attaches_nothing(media_root, received):
    with pytest.raises(Forbidden):
        attach_component(received, None, a_file(), None)


def test_reuse_is_refused_to_a_supervisor(media_root, people, received, ward, birth_registration):
    earlier = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    source = attach_component(earlier, None, a_file(), people["clerk"])
    with pytest.raises(Forbidden):
        reuse_document(received, source, None, people["supervisor"])
    assert reuse_document(received, source, None, people["clerk"]).reused_from == source


def test_a_result_is_reissued_only_by_a_leader_of_the_competent_agency(people, ward, birth_registration):
    d = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        status=Status.RESOLVED,
        outcome="approved",
        e_result_status=Dossier.EResult.FAILED,
    )
    for who in ("clerk", "handler", "supervisor", "clerk of another ward"):
        with pytest.raises(Forbidden):
            retry_e_result(d, actor=people[who])
    assert Dossier.objects.get(pk=d.pk).e_result_status == Dossier.EResult.FAILED
    assert retry_e_result(d, actor=people["leader"])


# --- the API and the desk give the service's answer ---


@pytest.fixture
def across_wards(ward, other_ward, birth_registration):
    """Received in `ward`, handled by `other_ward`: its staff see the dossier but do not hold the counter."""
    return factories.dossier(
        procedure=birth_registration, agency=ward, competent_agency=other_ward, status=Status.RECEIVED
    )


def api_upload(user, dossier, requirement):
    client = APIClient()
    client.force_authenticate(user)
    data = {"file": a_file()}
    if requirement is not None:
        data["requirement"] = requirement.pk
    return client.post(f"/api/v1/dossiers/{dossier.code}/documents/", data, format="multipart")


def desk_upload(client, user, dossier, requirement):
    client.force_login(user)
    data = {"file": a_file(), "requirement": requirement.pk if requirement else ""}
    return client.post(f"/dossiers/{dossier.code}/documents/upload", data)


def test_a_supervisor_is_refused_by_the_api_and_the_desk(client, media_root, people, received):
    requirement = received.procedure.requirements.first()

    response = api_upload(people["supervisor"], received, requirement)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "upload_not_allowed"
    assert response.json()["error"]["message_en"].startswith("You may not")

    response = desk_upload(client, people["supervisor"], received, requirement)
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()
    assert not received.documents.exists()


def test_a_clerk_of_the_competent_ward_is_refused_components_by_the_api_and_the_desk(
    client, media_root, other_ward, across_wards
):
    their_clerk = factories.user(role=Role.CLERK, agency=other_ward)
    requirement = across_wards.procedure.requirements.first()

    assert api_upload(their_clerk, across_wards, requirement).status_code == 403
    assert desk_upload(client, their_clerk, across_wards, requirement).status_code == 403
    assert not across_wards.documents.exists()


def test_a_clerk_of_an_unrelated_ward_does_not_even_find_the_dossier(client, media_root, people, received):
    outsider = people["clerk of another ward"]
    requirement = received.procedure.requirements.first()
    assert api_upload(outsider, received, requirement).status_code == 404
    assert desk_upload(client, outsider, received, requirement).status_code != 302
    assert not received.documents.exists()


def test_the_allowed_roles_still_upload_through_the_api_and_the_desk(
    client, media_root, people, other_ward, across_wards
):
    their_handler = factories.user(role=Role.HANDLER, agency=other_ward)
    requirement = across_wards.procedure.requirements.first()

    assert api_upload(people["clerk"], across_wards, requirement).status_code == 201
    response = desk_upload(client, people["clerk"], across_wards, requirement)
    assert response.status_code == 302
    assert api_upload(their_handler, across_wards, None).status_code == 201
    assert desk_upload(client, their_handler, across_wards, None).status_code == 302
    assert across_wards.documents.filter(kind=Document.Kind.COMPONENT).count() == 4


def test_the_dossier_page_offers_uploads_only_to_those_the_service_accepts(client, people, received):
    for who, offered in [("clerk", True), ("handler", False), ("supervisor", False)]:
        client.force_login(people[who])
        response = client.get(f"/dossiers/{received.code}/")
        assert response.context["can_upload"] is offered, who
