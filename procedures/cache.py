"""A per-process cache of what intake reads of a procedure: its components, step templates and agencies.

Entries are keyed by (procedure id, version, updated_at), read from the procedure row the caller already
holds, so a changed procedure is never served from an old entry in any process: the importer and the admin
bump the version on every content change, and any other write to a component, a step template or the
offering agencies touches the procedure's `updated_at` (procedures.signals). Nothing is shared between
processes and nothing needs invalidating there; an old key is simply never asked for again (the writer's own
process also drops its entries at once). Cached model instances are read-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import DocumentRequirement, Procedure, StepTemplate

MAX_ENTRIES = 1024  # a province's catalogue is ~2,000 procedures; intake uses a few hundred of them


@dataclass(frozen=True)
class Catalogue:
    requirements: tuple[DocumentRequirement, ...]
    steps: tuple[StepTemplate, ...]
    agency_ids: frozenset[int]


_entries: dict[tuple, Catalogue] = {}


def _key(procedure: Procedure) -> tuple:
    return (procedure.pk, procedure.version, procedure.updated_at)


def _load(procedure: Procedure) -> Catalogue:
    return Catalogue(
        requirements=tuple(
            DocumentRequirement.objects.filter(procedure_id=procedure.pk).order_by("order", "id")
        ),
        steps=tuple(StepTemplate.objects.filter(procedure_id=procedure.pk).order_by("order", "id")),
        agency_ids=frozenset(
            procedure.agencies.through.objects.filter(procedure_id=procedure.pk).values_list(
                "agency_id", flat=True
            )
        ),
    )


def catalogue(procedure: Procedure) -> Catalogue:
    """The procedure's components, steps and agencies as of the procedure row given (3 queries on a miss)."""
    key = _key(procedure)
    found = _entries.get(key)
    if found is None:
        found = _load(procedure)
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = found
    return found


def requirements(procedure: Procedure) -> tuple[DocumentRequirement, ...]:
    return catalogue(procedure).requirements


def step_templates(procedure: Procedure) -> tuple[StepTemplate, ...]:
    return catalogue(procedure).steps


def agency_ids(procedure: Procedure) -> frozenset[int]:
    return catalogue(procedure).agency_ids


def forget(procedure_ids) -> None:
    """Drop this process's entries of the procedures (the writer's own process, at once; others by key)."""
    ids = set(procedure_ids)
    for key in [k for k in _entries if k[0] in ids]:
        _entries.pop(key, None)


def clear() -> None:
    _entries.clear()
