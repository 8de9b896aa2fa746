"""The applicant against the national population database: the desk's lookup, the fact recorded at intake,
and the periodic check of dossiers received without it.

Whether a dossier is verified comes only from the server's own lookups: at intake from the answer the
desk's lookup left in the cache for that ID (no call is made while the clerk waits on the intake), later
from `check_pending`, which beat runs for the dossiers still "pending". The browser never says it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Role, User
from accounts.scoping import memberships
from config.errors import Forbidden, InvalidInput
from config.jobs import enqueue_on_commit
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.validation import citizen_id_error
from dossiers.models import Dossier, PopulationCheck
from dossiers.national import population
from dossiers.national.links import is_open

CHECK_TASK = "dossiers.verify_population"
SOURCE = "population"  # its name in Dossier.national_sources
SYSTEM_OFFICER = "he-thong-mot-cua"  # who asks, for the periodic check


@dataclass(frozen=True)
class Lookup:
    """The desk's lookup: "found" (with the citizen), "not_found" or "unavailable"."""

    status: str
    citizen: population.Citizen | None = None

    @property
    def found(self) -> bool:
        return self.status == "found"


def link_down() -> bool:
    """The desk shows manual entry at once while the link's circuit is open (one query)."""
    return is_open(population.LINK)


def look_up_applicant(actor: User, agency: Agency, id_number: str) -> Lookup:
    """A clerk of `agency` looks up the applicant with this ID (at most POPULATION_TIMEOUT seconds; at once
    while the circuit is open). The answer is remembered for the intake that follows."""
    if (agency.pk, Role.CLERK) not in memberships(actor):
        raise Forbidden(
            "Chỉ công chức một cửa của cơ quan mới được tra cứu cơ sở dữ liệu dân cư.",
            "Only a one-stop clerk of this agency may look up the population database.",
            code="role_not_allowed",
        )
    id_number = (id_number or "").strip()
    if error := citizen_id_error(id_number):
        raise InvalidInput(error["message"], error["message_en"], fields={"id_number": error})
    try:
        citizen = population.lookup(id_number, agency_code=agency.code, officer=actor.get_username())
    except population.Unavailable:
        return Lookup("unavailable")
    return Lookup("found", citizen) if citizen else Lookup("not_found")


def _folded(text: str) -> str:
    """Names compared as written, diacritics included (they tell Vietnamese names apart), but not case or
    spacing, and the same whether typed precomposed or not."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def differences(citizen: population.Citizen, name: str, birth_date: date | None) -> list[dict]:
    """What the dossier says that the population record does not: the name, and the date of birth when the
    dossier has one. The address is not compared (the applicant may give where they live now)."""
    found = []
    if _folded(name) != _folded(citizen.name):
        found.append({"field": "name", "dossier": name, "population": citizen.name})
    if birth_date and citizen.birth_date and birth_date != citizen.birth_date:
        found.append(
            {
                "field": "birth_date",
                "dossier": birth_date.isoformat(),
                "population": citizen.birth_date.isoformat(),
            }
        )
    return found


def _apply(dossier: Dossier, answer, at: datetime) -> str:
    """Set the check's outcome on the dossier from a lookup answer (a Citizen, or None: not found)."""
    if answer is None:
        outcome, diffs = PopulationCheck.NOT_FOUND, []
    else:
        diffs = differences(answer, dossier.applicant_name, dossier.applicant_birth_date)
        outcome = PopulationCheck.MISMATCH if diffs else PopulationCheck.VERIFIED
        if SOURCE not in dossier.national_sources:
            dossier.national_sources = [*dossier.national_sources, SOURCE]
    dossier.population_check = outcome
    dossier.population_checked_at = at
    dossier.population_differences = diffs
    return outcome


def record_at_intake(dossier: Dossier, at: datetime) -> None:
    """On a new dossier (before it is saved): the outcome of the desk's lookup of this ID if the server still
    remembers one, else "pending" for the periodic check. Reads the cache only: the clerk never waits on
    the platform here."""
    answer = population.remembered(dossier.applicant_id_number)
    if answer is population.NOT_LOOKED_UP:
        dossier.population_check = PopulationCheck.PENDING
        enqueue_on_commit(CHECK_TASK)  # at once if the link answers; beat's next run if not
        return
    _apply(dossier, answer, at)


POPULATION_FIELDS = [
    "population_check",
    "population_checked_at",
    "population_differences",
    "national_sources",
]


def check_pending(batch: int | None = None) -> dict[str, int]:
    """Look up the dossiers still pending (oldest first, index dossier_population_pending) and record each
    outcome with an event; a mismatch tells the clerk who received it. Stops at the first unavailable
    answer (the link is down; the next run tries again); a refused request leaves that dossier pending."""
    batch = batch or settings.POPULATION_VERIFY_BATCH
    counts = {"verified": 0, "mismatch": 0, "not_found": 0, "unavailable": 0, "refused": 0}
    if link_down():
        counts["unavailable"] = 1
        return counts
    pending = list(
        Dossier.objects.filter(population_check=PopulationCheck.PENDING)
        .order_by("id")
        .values_list("pk", "applicant_id_number", "receiving_agency__code")[:batch]
    )
    for pk, id_number, agency_code in pending:
        try:
            answer = population.lookup(
                id_number, agency_code=agency_code, officer=SYSTEM_OFFICER, purpose=population.PURPOSE_CHECK
            )
        except population.Refused as exc:
            counts["refused"] += 1
            if exc.status == 400:  # this request's data: the others may still be answered
                continue
            break  # the key or the URL: every request would be refused alike
        except population.Unavailable:
            counts["unavailable"] += 1
            break
        outcome = _record_check(pk, answer)
        if outcome:
            counts[outcome] += 1
    return counts


def _record_check(pk: int, answer) -> str | None:
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().filter(pk=pk).first()
        if dossier is None or dossier.population_check != PopulationCheck.PENDING:
            return None  # checked meanwhile
        at = timezone.now()
        outcome = _apply(dossier, answer, at)
        dossier.save(update_fields=[*POPULATION_FIELDS, "updated_at"])
        record_event(
            dossier,
            "population_check",
            from_status=dossier.status,
            at=at,
            public=False,
            payload={"outcome": outcome, "differences": dossier.population_differences},
        )
    return outcome
