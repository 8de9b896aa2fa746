"""Printing for many dossiers at once: the receipts (Mẫu 01) of a selection in one PDF, or the register
(Mẫu 07) of the selection, with an outcome per dossier for those that cannot be printed."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from config.errors import Conflict, DomainError
from dossiers.documents import registers
from dossiers.documents.forms import contexts
from dossiers.documents.forms.render import combined_pdf, render_document
from dossiers.documents.issuing import check_form_applies, visible_dossiers
from dossiers.lifecycle.bulk import Outcome, clean_codes, not_found
from dossiers.models import Dossier

RECEIPT_FORM = "01"
# A receipt takes WeasyPrint ~0.3-0.7 s to lay out on this hardware: 30 stay within a request's time.
MAX_PRINT = 30
PRINTS = ("print_receipts", "print_register")


@dataclass
class Printed:
    """The PDF of the printable dossiers (None when none is), and an outcome for every selected code."""

    pdf: bytes | None
    filename: str
    outcomes: list[Outcome]

    @property
    def refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def _selected(user: User, codes) -> tuple[list[str], dict[str, Dossier]]:
    codes = clean_codes(codes, MAX_PRINT)
    found = visible_dossiers(user).filter(code__in=codes).select_related("received_by")
    return codes, {d.code: d for d in found}


def receipts(user: User, codes) -> Printed:
    """Mẫu 01 of every selected dossier that has one (received, not refused), in the order selected."""
    codes, by_code = _selected(user, codes)
    outcomes, documents = [], []
    for code in codes:
        dossier = by_code.get(code)
        if dossier is None:
            outcomes.append(Outcome(code, not_found(code)))
            continue
        try:
            check_form_applies(dossier, RECEIPT_FORM)
        except DomainError as error:
            outcomes.append(Outcome(code, error))
            continue
        template, build = contexts.FORMS[RECEIPT_FORM]
        documents.append(render_document(template, build(dossier)))
        outcomes.append(Outcome(code))
    pdf = combined_pdf(documents) if documents else None
    return Printed(pdf, f"mau-{RECEIPT_FORM}-{len(documents)}-ho-so.pdf", outcomes)


def _not_received() -> Conflict:
    return Conflict(
        "Hồ sơ chưa được tiếp nhận nên chưa có trong sổ theo dõi.",
        "The dossier has not been received, so it is not in the register.",
        code="not_received",
    )


def register(user: User, codes) -> Printed:
    """Mẫu 07 of the selected dossiers that were received: one register per receiving agency, in one PDF."""
    codes, by_code = _selected(user, codes)
    outcomes, by_agency = [], {}
    for code in codes:
        dossier = by_code.get(code)
        if dossier is None:
            outcomes.append(Outcome(code, not_found(code)))
        elif dossier.received_at is None:
            outcomes.append(Outcome(code, _not_received()))
        else:
            by_agency.setdefault(dossier.receiving_agency_id, []).append(dossier)
            outcomes.append(Outcome(code))
    documents = [
        render_document(
            registers.REGISTER_TEMPLATE,
            registers.register_context(rows[0].receiving_agency, registers.selection_rows(rows)),
        )
        for rows in by_agency.values()
    ]
    pdf = combined_pdf(documents) if documents else None
    return Printed(pdf, f"mau-{registers.FORM_NUMBER}-{sum(o.ok for o in outcomes)}-ho-so.pdf", outcomes)


def print_many(user: User, name: str, codes) -> Printed:
    return receipts(user, codes) if name == "print_receipts" else register(user, codes)
