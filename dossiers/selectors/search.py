"""The desk's one search box: a dossier by its code (or any part of it, e.g. the tail "0361"), the applicant's
name without diacritics, the 12-digit citizen ID or the phone, within what the user may see.

Every branch is index-served (migration 0017_desk_search_indexes): trigram GIN indexes over the code and over
lower(immutable_unaccent(applicant_name)), btree indexes over the citizen ID and the phone. The branches a
query fits are OR-ed, so PostgreSQL combines their bitmaps with the scope's agency indexes."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from accounts.models import User
from config.errors import InvalidInput, field_error
from dossiers.lifecycle.validation import normalise_phone
from dossiers.models import Dossier
from dossiers.models.search import folded_name
from procedures.text import fold

from . import dossiers_visible_to

SEARCH_MAX_LENGTH = 100
SEARCH_MIN_LENGTH = 3  # a trigram index needs three characters to narrow anything
SEARCH_LIMIT = 50  # one screen of matches; a longer list means the words should be more precise

_CODE_LIKE = re.compile(r"[0-9A-Za-z.\-]+")
_ID_NOISE = re.compile(r"[\s.\-]")


def clean_search(text: str | None) -> str:
    """The query trimmed; InvalidInput (400, both languages) when it is too long. A NUL never gets this far:
    config.nul refuses it for every request."""
    text = text or ""
    if len(text) > SEARCH_MAX_LENGTH:
        raise InvalidInput(
            f"Từ khoá tìm kiếm dài tối đa {SEARCH_MAX_LENGTH} ký tự.",
            f"The search text may be at most {SEARCH_MAX_LENGTH} characters long.",
            fields={"q": field_error("Quá dài.", "Too long.")},
        )
    return " ".join(text.split())


def search_condition(text: str) -> Q | None:
    """The Q matching `text` (already cleaned), or None when it is too short to search."""
    if len(text) < SEARCH_MIN_LENGTH:
        return None
    branches = []
    compact = _ID_NOISE.sub("", text)
    if re.fullmatch(r"\d{12}", compact):
        branches.append(Q(applicant_id_number=compact))
    phone = normalise_phone(text)
    if phone:
        branches.append(Q(applicant_phone=phone))
    if _CODE_LIKE.fullmatch(text) and any(ch.isdigit() for ch in text):
        branches.append(Q(code__contains=text.upper()))
    folded = fold(text)
    if any(ch.isalpha() for ch in folded):
        branches.append(Q(name_folded__contains=folded))
    if not branches:
        return None
    condition = branches[0]
    for branch in branches[1:]:
        condition |= branch
    return condition


def filter_search(queryset: QuerySet[Dossier], text: str) -> QuerySet[Dossier]:
    """`queryset` narrowed to the dossiers `text` finds (none when it is too short)."""
    condition = search_condition(text)
    if condition is None:
        return queryset.none()
    return queryset.alias(name_folded=folded_name()).filter(condition)


def search_dossiers(user: User, text: str) -> list[Dossier]:
    """Up to SEARCH_LIMIT + 1 visible matches, newest first, with what a queue row shows (one query)."""
    found = filter_search(dossiers_visible_to(user), text)
    return list(
        found.select_related("procedure", "assignee", "current_step").order_by("-id")[: SEARCH_LIMIT + 1]
    )
