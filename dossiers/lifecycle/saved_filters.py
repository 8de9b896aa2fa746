"""The user's own saved desk filters: create and delete, the parameters checked by the dossier list's filters.

A saved filter belongs to its user and changes no dossier, so it writes no DossierEvent; its parameters are
validated by dossiers.selectors.filters.DossierFilter, the API list's one definition."""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from accounts.models import User
from config.errors import InvalidInput, NotFound, field_error
from dossiers.models import Dossier, SavedFilter
from dossiers.models.saved_filter import SAVED_FILTER_NAME_LENGTH
from dossiers.selectors.filters import DossierFilter

# What a saved tab narrows by: procedure, status, due window (overdue, due soon, due before a date), assignee.
SAVED_FILTER_FIELDS = ("procedure", "status", "overdue", "due_soon", "due_before", "assignee")
MAX_SAVED_FILTERS = 20  # the tab row stays readable


def clean_filter_params(params: dict) -> dict:
    """The parameters without empty values; InvalidInput naming each field the list filter refuses."""
    if not isinstance(params, dict):
        raise InvalidInput("Điều kiện lọc không hợp lệ.", "Invalid filter parameters.")
    unknown = sorted(set(params) - set(SAVED_FILTER_FIELDS))
    if unknown:
        raise InvalidInput(
            "Không lọc được theo: " + ", ".join(unknown) + ".",
            "Cannot filter by: " + ", ".join(unknown) + ".",
            fields={name: field_error("Không hỗ trợ.", "Not supported.") for name in unknown},
        )
    given = {k: v for k, v in params.items() if v not in (None, "", [], False, "false")}
    given = {k: [str(s) for s in v] if isinstance(v, list | tuple) else str(v) for k, v in given.items()}
    if "status" in given and not isinstance(given["status"], list):
        given["status"] = [given["status"]]
    form = DossierFilter(data=given, queryset=Dossier.objects.none()).form
    errors = dict(form.errors) if not form.is_valid() else {}
    for flag in ("overdue", "due_soon"):  # the list reads anything else as "no filter": refuse it here
        if flag in given:
            if given[flag].lower() not in ("true", "1"):
                errors[flag] = ["true"]
            given[flag] = "true"
    assignee = given.get("assignee")
    if assignee is not None and not (assignee == "me" or re.fullmatch(r"\d{1,18}", assignee)):
        errors["assignee"] = ["me / id"]
    if errors:
        raise InvalidInput(
            "Điều kiện lọc không hợp lệ: " + ", ".join(sorted(errors)) + ".",
            "Invalid filter parameters: " + ", ".join(sorted(errors)) + ".",
            fields={name: field_error("Không hợp lệ.", "Invalid.") for name in errors},
        )
    return given


def save_filter(user: User, name: str, params: dict) -> SavedFilter:
    """A new saved filter of the user; InvalidInput for a missing or taken name, or refused parameters."""
    name = " ".join((name or "").split())
    if not name or len(name) > SAVED_FILTER_NAME_LENGTH or "\x00" in name:
        raise InvalidInput(
            f"Tên bộ lọc gồm 1 đến {SAVED_FILTER_NAME_LENGTH} ký tự.",
            f"The filter name must be 1 to {SAVED_FILTER_NAME_LENGTH} characters long.",
            fields={"name": field_error("Không hợp lệ.", "Invalid.")},
        )
    clean = clean_filter_params(params)
    if not clean:
        raise InvalidInput(
            "Hãy chọn ít nhất một điều kiện lọc.",
            "Choose at least one condition.",
            fields={"params": field_error("Bắt buộc.", "Required.")},
        )
    with transaction.atomic():
        # The user's row is locked so that two tabs saving at once cannot pass the limit together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if SavedFilter.objects.filter(user=user).count() >= MAX_SAVED_FILTERS:
            raise InvalidInput(
                f"Mỗi người lưu tối đa {MAX_SAVED_FILTERS} bộ lọc.",
                f"At most {MAX_SAVED_FILTERS} saved filters per user.",
            )
        try:
            with transaction.atomic():
                return SavedFilter.objects.create(user=user, name=name, params=clean)
        except IntegrityError:
            raise InvalidInput(
                "Đã có bộ lọc cùng tên.",
                "A filter with this name already exists.",
                fields={"name": field_error("Đã dùng.", "Taken.")},
            ) from None


def delete_filter(user: User, filter_id: int) -> None:
    """Delete one of the user's own saved filters; NotFound for another user's (never revealed)."""
    deleted, _ = SavedFilter.objects.filter(user=user, pk=filter_id).delete()
    if not deleted:
        raise NotFound("Không tìm thấy bộ lọc.", "Filter not found.")
