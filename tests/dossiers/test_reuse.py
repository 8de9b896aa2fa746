"""Reuse of digitised data: a citizen's earlier results and digitised components attach by reference."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import InvalidInput
from dossiers.documents.uploads import attach_component, reusable_documents, reuse_document
from dossiers.models import Document, Dossier, Status
from tests import factories
from tests.dossiers.test_uploads import PDF


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


def test_the_applicants_results_and_digitised_components_are_offered(earlier, new, ward, birth_registration):
    old, component, result = earlier
    stranger = factories.dossier(
        procedure=birth_registration, agency=ward, applicant_id_number="079200000001"
    )
    Document.objects.create(dossier=stranger, kind=Document.Kind.COMPONENT, name="x", digitised=True)
    Document.objects.create(dossier=old, kind=Document.Kind.COMPONENT, name="paper only", digitised=False)
    assert set(reusable_documents(new)) == {component, result}


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


def test_listing_reusable_documents_takes_one_query(earlier, new, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [
            (d.dossier.code, d.dossier.procedure.name, getattr(d.requirement, "name", ""))
            for d in reusable_documents(new)
        ]
    assert len(rows) == 2
