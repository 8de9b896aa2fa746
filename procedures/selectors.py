"""Reads of the procedure catalogue: what an agency offers, diacritic-blind search, screen-ready querysets."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Agency

from .models import Procedure
from .text import fold

Offering = Procedure.agencies.through


def procedures_offered_by(agency: Agency, queryset: QuerySet[Procedure] | None = None) -> QuerySet[Procedure]:
    """Active procedures the agency offers: listed for it or its province, or listed for nobody at its level.

    An empty agency list means every agency of the procedure's level; a province listed means all its
    communes. One query whatever the agency; the through table's (procedure, agency) unique index serves
    both EXISTS clauses.
    """
    queryset = Procedure.objects.all() if queryset is None else queryset
    listed_for_it = Exists(
        Offering.objects.filter(procedure_id=OuterRef("pk"), agency_id__in=_self_and_ancestor_ids(agency))
    )
    listed_for_anyone = Exists(Offering.objects.filter(procedure_id=OuterRef("pk")))
    return queryset.filter(active=True).filter(listed_for_it | (Q(level=agency.level) & ~listed_for_anyone))


def listing_allows(procedure: Procedure, agency: Agency) -> bool:
    """Whether the procedure's agency list lets the agency receive it: it or its province is listed, or
    nobody is (one query, served by the through table's unique index)."""
    listed_for_it = Exists(
        Offering.objects.filter(procedure_id=OuterRef("pk"), agency_id__in=_self_and_ancestor_ids(agency))
    )
    listed_for_anyone = Exists(Offering.objects.filter(procedure_id=OuterRef("pk")))
    return Procedure.objects.filter(pk=procedure.pk).filter(listed_for_it | ~listed_for_anyone).exists()


def _self_and_ancestor_ids(agency: Agency) -> list[int]:
    # Local government has two levels since 2025 (province, commune), so the parent is the only ancestor.
    return [agency.pk] + ([agency.parent_id] if agency.parent_id else [])


def search_procedures(queryset: QuerySet[Procedure], text: str | None) -> QuerySet[Procedure]:
    """Procedures whose code or name holds every word of the text, ignoring case and diacritics.

    `search_text` is stored folded (lower case, no diacritics), so a case-sensitive LIKE on folded words
    matches "dang ky khai sinh" with "Đăng ký khai sinh" and is served by the GIN trigram index
    (icontains would wrap the column in UPPER() and bypass the index).
    """
    for word in fold(text or "").split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def catalogue_list(queryset: QuerySet[Procedure] | None = None) -> QuerySet[Procedure]:
    """Active procedures with their sector, for list screens (one query per page)."""
    queryset = Procedure.objects.all() if queryset is None else queryset
    return queryset.filter(active=True).select_related("sector")


def procedure_detail_queryset() -> QuerySet[Procedure]:
    """Procedures with everything a detail screen shows, in a constant number of queries."""
    return Procedure.objects.select_related("sector").prefetch_related(
        "requirements", "steps", "fees", "agencies"
    )
