"""Many dossiers at once: each goes through services.perform exactly as one at a time, in its own transaction,
so a refusal never undoes or hides the others, and every dossier gets its own outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from accounts.scoping import memberships
from config.errors import DomainError, InvalidInput, NotFound, field_error
from dossiers.lifecycle.actions import perform
from dossiers.lifecycle.workflow import ACTIONS, clean_inputs
from dossiers.models import Dossier
from dossiers.models.dossier import DOSSIER_CODE_LENGTH
from dossiers.selectors import dossiers_visible_to
from procedures.calendar import local

# The actions a queue offers on a selection (issue: forward and return results; printing is documents.batch).
BULK_ACTIONS = ("forward", "return_result")
# A queue page holds 50 rows; an API client may send two pages at once, and each dossier is its own
# transaction, so a batch stays within a request's time.
MAX_BATCH = 100


def not_found(code: str) -> NotFound:
    """What a dossier outside the user's scope answers, the same as one that does not exist."""
    return NotFound("Không tìm thấy hồ sơ.", "Dossier not found.", code="not_found")


@dataclass(frozen=True)
class Outcome:
    """What happened to one dossier of a batch: done, or refused with the service's error."""

    code: str
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self) -> dict:
        return {"code": self.code, "ok": self.ok, "error": self.error.as_dict() if self.error else None}


def clean_codes(codes, limit: int = MAX_BATCH) -> list[str]:
    """The selected dossier codes, each once, in the order given; a clear refusal for none or too many."""
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        raise InvalidInput(
            "Danh sách mã hồ sơ không hợp lệ.",
            "The dossier codes must be a list of strings.",
            fields={"codes": field_error("Cần một danh sách mã hồ sơ.", "A list of dossier codes.")},
        )
    picked = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not picked:
        raise InvalidInput(
            "Chưa chọn hồ sơ nào.",
            "No dossier selected.",
            fields={"codes": field_error("Chọn ít nhất một hồ sơ.", "Select at least one dossier.")},
        )
    if len(picked) > limit:
        raise InvalidInput(
            f"Chỉ xử lý tối đa {limit} hồ sơ một lần (đã chọn {len(picked)}).",
            f"At most {limit} dossiers at once ({len(picked)} selected).",
            code="too_many",
            fields={"codes": field_error(f"Tối đa {limit} hồ sơ.", f"At most {limit} dossiers.")},
        )
    return picked


def visible_codes(user: User, codes: Iterable[str]) -> set[str]:
    """The codes among `codes` of dossiers the user may see (one query); any other is "not found"."""
    codes = [c for c in codes if len(c) <= DOSSIER_CODE_LENGTH]
    return set(dossiers_visible_to(user).filter(code__in=codes).values_list("code", flat=True))


def bulk_action(name: str) -> str:
    if name not in BULK_ACTIONS:
        raise NotFound(
            f"Không có thao tác hàng loạt {name}.", f"No such bulk action: {name}.", code="unknown_action"
        )
    return name


def offered_actions(user: User, dossiers: Iterable[Dossier]) -> list[str]:
    """The bulk actions a page of dossiers offers the user: those whose role the user holds somewhere and
    whose statuses one of the rows is in (the service still judges each dossier on its own)."""
    roles = {r for _a, r in memberships(user)}
    statuses = {d.status for d in dossiers}
    return [
        name
        for name in BULK_ACTIONS
        if (user.is_superuser or roles & set(ACTIONS[name].roles)) and statuses & set(ACTIONS[name].sources)
    ]


def perform_many(codes, action: str, actor: User, data: dict | None = None) -> list[Outcome]:
    """Perform `action` with the same inputs on every selected dossier, one transaction each, in order.

    The inputs are checked once first (workflow.clean_inputs, the one validator): wrong inputs refuse the
    whole request, since they would refuse every dossier alike. A dossier the user may not see is "not
    found", never told apart from one that does not exist."""
    bulk_action(action)
    codes = clean_codes(codes)
    clean_inputs(action, data or {}, today=local(timezone.now()).date())
    seen = visible_codes(actor, codes)
    outcomes = []
    for code in codes:
        if code not in seen:
            outcomes.append(Outcome(code, not_found(code)))
            continue
        try:
            perform(code, action, actor, data)
        except DomainError as error:
            outcomes.append(Outcome(code, error))
        else:
            outcomes.append(Outcome(code))
    return outcomes
