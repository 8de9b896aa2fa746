"""Reuse of digitised data: a citizen's earlier results and digitised components attach by reference."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from config.errors import InvalidInput
from dossiers.documents.uploads import attach_component, reusable_documents, reuse_document
from dossiers.models import Document, Dossier, Status
from tests import factories
from tests.dossiers.test_uploads import PDF
from tests.helpers import client_for


@pytest.fixture
def earlier(media_root, ward, birth_registration, clerk):
    """A returned dossier of the same citizen with a digitised component and a signed result."""
    old = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    component = attach_component(
        old, birth_registration.requirements.first(), SimpleUploadedFile("a.pdf", PDF), clerk
    )
    result = Document.objects.create(
        dossier=old,
        kind=Document.Kind.RESULT,
        name="ket-qua.pdf",
        file=component.file.name,
        signed=True,
        digitised=True,
        sha256="ab" * 32,
    )
    return old, component, result


@pytest.fixture
def new(ward, birth_registration):
    return factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)


def test_the_applicants_results_and_digitised_components_are_offered(
    earlier, new, ward, birth_registration, clerk
):
    old, component, result = earlier
    stranger = factories.dossier(
        procedure=birth_registration, agency=ward, applicant_id_number="079200000001"
    )
    Document.objects.create(dossier=stranger, kind=Document.Kind.COMPONENT, name="x", digitised=True)
    Document.objects.create(dossier=old, kind=Document.Kind.COMPONENT, name="paper only", digitised=False)
    assert set(reusable_documents(new, clerk)) == {component, result}


def test_reuse_attaches_the_same_file_by_reference_and_marks_the_dossier(earlier, new, clerk):
    _, component, _ = earlier
    requirement = new.procedure.requirements.first()
    doc = reuse_document(new, component, requirement, clerk)
    assert (
        doc.reused_from == component
        and doc.file.name == component.file.name
        and doc.sha256 == component.sha256
    )
    fresh = Dossier.objects.get(pk=new.pk)
    assert fresh.reuses_data
    assert fresh.events.filter(action="document_reused", payload__source_document_id=component.pk).exists()


def test_reusing_twice_is_harmless_and_a_reuse_of_a_reuse_points_to_the_origin(
    earlier, new, clerk, ward, birth_registration
):
    _, component, _ = earlier
    requirement = new.procedure.requirements.first()
    first = reuse_document(new, component, requirement, clerk)
    assert reuse_document(new, component, requirement, clerk) == first
    third = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    assert reuse_document(third, first, requirement, clerk).reused_from == component


def test_another_citizens_document_cannot_be_reused(media_root, new, ward, birth_registration, clerk):
    other = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_id_number="079200000001"
    )
    theirs = attach_component(other, None, SimpleUploadedFile("a.pdf", PDF), clerk)
    with pytest.raises(InvalidInput) as err:
        reuse_document(new, theirs, None, clerk)
    assert err.value.code == "not_reusable"
    assert not Dossier.objects.get(pk=new.pk).reuses_data


def test_listing_reusable_documents_takes_one_query(earlier, new, clerk, django_assert_num_queries):
    reusable = reusable_documents(new, clerk)  # the user's agencies are read once, before
    with django_assert_num_queries(1):
        rows = [
            (d.dossier.code, d.dossier.procedure.name, getattr(d.requirement, "name", "")) for d in reusable
        ]
    assert len(rows) == 2


# --- reuse stays inside what the user may already see, or needs the citizen ---


@pytest.fixture
def elsewhere(media_root, province, birth_registration):
    """The same citizen's dossier in another ward, with a digitised component uploaded by its own clerk."""
    ward_b = factories.agency(parent=province, name="Phường Thử Hai")
    clerk_b = factories.user(role=Role.CLERK, agency=ward_b)
    theirs = factories.dossier(
        procedure=birth_registration, agency=ward_b, status=Status.RECEIVED, tracking_pin="654321"
    )
    component = attach_component(
        theirs, birth_registration.requirements.first(), SimpleUploadedFile("b.pdf", PDF), clerk_b
    )
    return theirs, component


def test_a_clerk_is_not_offered_the_citizens_documents_of_another_ward(elsewhere, new, clerk):
    _, component = elsewhere
    assert component not in reusable_documents(new, clerk)
    with pytest.raises(InvalidInput) as refused:
        reuse_document(new, component, None, clerk)
    assert refused.value.code == "not_reusable"
    assert not new.documents.exists()


def test_the_api_neither_lists_reuses_nor_downloads_another_wards_documents(elsewhere, new, clerk):
    _, component = elsewhere
    api = client_for(clerk)
    listed = api.get(f"/api/v1/dossiers/{new.code}/reusable-documents/").json()
    assert component.pk not in [d["id"] for d in listed]

    response = api.post(f"/api/v1/dossiers/{new.code}/documents/reuse/", {"document": component.pk})
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert not new.documents.exists()
    assert api.get(f"/api/v1/documents/{component.pk}/download").status_code == 404


def test_the_desk_does_not_reuse_another_wards_documents(client, elsewhere, new, clerk):
    _, component = elsewhere
    client.force_login(clerk)
    client.post(f"/dossiers/{new.code}/documents/reuse", {"document": component.pk})
    assert not new.documents.exists()
    assert client.get(f"/documents/{component.pk}/download").status_code == 404


def test_the_citizen_present_with_the_other_dossiers_pin_allows_its_reuse(elsewhere, new, clerk):
    theirs, component = elsewhere
    api = client_for(clerk)
    shown = {"source": theirs.code, "pin": "654321"}
    listed = api.get(f"/api/v1/dossiers/{new.code}/reusable-documents/", shown).json()
    assert [d["id"] for d in listed] == [component.pk]

    response = api.post(f"/api/v1/dossiers/{new.code}/documents/reuse/", {"document": component.pk, **shown})
    assert response.status_code == 201
    event = Dossier.objects.get(pk=new.pk).events.get(action="document_reused")
    assert event.actor == clerk
    assert event.payload["source_document_id"] == component.pk
    assert event.payload["source_dossier_code"] == theirs.code
    assert event.payload["shown_with_tracking_pin"] is True


def test_a_wrong_pin_opens_nothing(elsewhere, new, clerk):
    theirs, component = elsewhere
    api = client_for(clerk)
    wrong = {"source": theirs.code, "pin": "000000"}
    assert api.get(f"/api/v1/dossiers/{new.code}/reusable-documents/", wrong).status_code == 404
    response = api.post(f"/api/v1/dossiers/{new.code}/documents/reuse/", {"document": component.pk, **wrong})
    assert response.status_code == 404
    assert not new.documents.exists()


def test_a_pin_opens_only_the_same_applicants_dossier(media_root, elsewhere, new, clerk, birth_registration):
    theirs, _ = elsewhere
    stranger = factories.dossier(
        procedure=birth_registration,
        agency=theirs.receiving_agency,
        applicant_id_number="079200000009",
        tracking_pin="111111",
    )
    shown = {"source": stranger.code, "pin": "111111"}
    assert client_for(clerk).get(f"/api/v1/dossiers/{new.code}/reusable-documents/", shown).status_code == 404


def test_the_signed_in_applicant_reuses_their_own_documents(media_root, ward, birth_registration):
    citizen = factories.user(role=Role.CITIZEN, agency=ward)
    old = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.SUBMITTED, applicant_user=citizen
    )
    mine = attach_component(old, None, SimpleUploadedFile("c.pdf", PDF), citizen)
    draft = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.DRAFT, applicant_user=citizen
    )
    assert list(reusable_documents(draft, citizen)) == [mine]
    doc = reuse_document(draft, mine, None, citizen)
    assert draft.events.get(action="document_reused").payload["source_dossier_id"] == old.pk
    assert doc.reused_from == mine
