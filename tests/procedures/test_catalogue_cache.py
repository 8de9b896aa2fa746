"""The per-process catalogue cache: served without queries, never stale after any kind of catalogue change."""

import pytest

from accounts.models import Agency
from procedures import cache
from procedures.models import DocumentRequirement, Procedure, StepTemplate
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(procedure: Procedure) -> Procedure:
    """The procedure as a request reads it (intake looks it up by code each time)."""
    return Procedure.objects.get(pk=procedure.pk)


def names(procedure: Procedure) -> list[str]:
    return [r.name for r in cache.requirements(procedure)]


def test_a_second_read_costs_no_query(birth_registration, django_assert_num_queries):
    procedure, again = fresh(birth_registration), fresh(birth_registration)
    with django_assert_num_queries(3):  # components, steps, agencies
        first = cache.catalogue(procedure)
    with django_assert_num_queries(0):
        assert cache.catalogue(again) is first
    assert names(again) == ["Tờ khai", "Giấy chứng sinh"]
    assert [s.order for s in cache.step_templates(again)] == [1, 2, 3, 4]
    assert cache.agency_ids(again) == frozenset()


def test_a_component_written_directly_is_seen_at_once_and_by_other_processes(birth_registration):
    before = fresh(birth_registration)
    assert names(before) == ["Tờ khai", "Giấy chứng sinh"]
    DocumentRequirement.objects.create(procedure=birth_registration, order=3, name="CCCD", required=False)
    after = fresh(birth_registration)
    # Another process keys its entries by the row it reads: the row changed, so the key did.
    assert (after.version, after.updated_at) != (before.version, before.updated_at)
    assert names(after) == ["Tờ khai", "Giấy chứng sinh", "CCCD"]
    # This process also dropped its entries, so even an instance read before the change sees it.
    assert names(before) == ["Tờ khai", "Giấy chứng sinh", "CCCD"]


def test_deleted_and_edited_steps_are_seen(birth_registration):
    assert len(cache.step_templates(fresh(birth_registration))) == 4
    StepTemplate.objects.filter(procedure=birth_registration, order=4).delete()
    step = StepTemplate.objects.get(procedure=birth_registration, order=2)
    step.days = 9
    step.save()
    steps = cache.step_templates(fresh(birth_registration))
    assert [(s.order, s.days) for s in steps] == [(1, 0), (2, 9), (3, 1)]


@pytest.mark.parametrize("side", ["procedure", "agency"])
def test_offering_agencies_changed_from_either_side_are_seen(birth_registration, ward, side):
    assert cache.agency_ids(fresh(birth_registration)) == frozenset()
    if side == "procedure":
        birth_registration.agencies.add(ward)
    else:
        ward.procedures.add(birth_registration)
    assert cache.agency_ids(fresh(birth_registration)) == {ward.pk}
    if side == "procedure":
        birth_registration.agencies.clear()
    else:
        Agency.objects.get(pk=ward.pk).procedures.clear()
    assert cache.agency_ids(fresh(birth_registration)) == frozenset()


def test_an_import_that_changes_a_procedure_gives_a_new_entry(birth_registration):
    """The importer bumps the version; admin edits do too (tests/procedures/test_import_admin.py)."""
    before = fresh(birth_registration)
    assert names(before) == ["Tờ khai", "Giấy chứng sinh"]
    Procedure.objects.filter(pk=before.pk).update(version=before.version + 1)  # as a versioned edit does
    DocumentRequirement.objects.filter(procedure=before, order=2).update(name="Giấy chứng sinh (bản chính)")
    assert names(fresh(birth_registration)) == ["Tờ khai", "Giấy chứng sinh (bản chính)"]


def test_the_cache_is_bounded():
    procedures = [factories.procedure() for _ in range(3)]
    cache.clear()
    limit, cache.MAX_ENTRIES = cache.MAX_ENTRIES, 2
    try:
        for p in procedures:
            cache.catalogue(p)
        assert len(cache._entries) <= 2
    finally:
        cache.MAX_ENTRIES = limit
