"""Reads of the citizen portal: only the signed-in citizen's own dossiers, drafts and documents (never by
agency, whatever else the account holds), what is asked of them, and the catalogue as the portal shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Agency, User
from config.errors import NotFound
from dossiers.documents.issuing import forms_that_apply
from dossiers.models import Document, Dossier, DossierEvent, OnlineDraft, Status
from dossiers.public.tracking import TimelineEntry, timeline_entry
from procedures.models import Procedure
from procedures.selectors import catalogue_list, procedure_detail_queryset, search_procedures

MISSING = NotFound("Không tìm thấy hồ sơ.", "Dossier not found.")
# The forms the citizen receives (the receipt, a supplement request, a refusal, an apology, a stop notice);
# the control sheet (Mẫu 06) is the centre's internal record.
CITIZEN_FORMS = ("01", "02", "03", "04", "05")


def citizen_dossiers(user: User) -> QuerySet[Dossier]:
    """Every dossier the user filed online, newest first (index dossier_applicant_user_id)."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant_user_id=user.pk)
        .exclude(status=Status.DRAFT)
        .select_related("procedure", "receiving_agency")
        .order_by("-id")
    )


def citizen_dossier(user: User, code: str) -> Dossier:
    """One of the user's own dossiers; NotFound for any other (the same answer whether it exists or not)."""
    dossier = citizen_dossiers(user).select_related("competent_agency").filter(code=(code or "")[:40]).first()
    if dossier is None:
        raise MISSING
    return dossier


def citizen_drafts(user: User) -> QuerySet[OnlineDraft]:
    if not getattr(user, "is_authenticated", False):
        return OnlineDraft.objects.none()
    return (
        OnlineDraft.objects.filter(user_id=user.pk)
        .select_related("procedure", "agency")
        .order_by("-updated_at", "-id")
    )


def citizen_draft(user: User, draft_id: int) -> OnlineDraft:
    draft = (
        citizen_drafts(user)
        .prefetch_related("procedure__requirements", "components__reused_from__dossier")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        raise NotFound("Không tìm thấy hồ sơ nháp.", "Draft not found.")
    return draft


# What of a dossier's files is the citizen's: their components, and the signed result (never the centre's
# working documents).
CITIZEN_FILES = Q(kind=Document.Kind.COMPONENT, requirement__isnull=False) | Q(
    kind=Document.Kind.RESULT, signed=True
)


def citizen_documents(dossier: Dossier) -> list[Document]:
    return list(dossier.documents.filter(CITIZEN_FILES).select_related("requirement").order_by("kind", "id"))


def citizen_document(user: User, document_id: int) -> Document:
    """A component or signed result of one of the user's own dossiers; NotFound for anything else."""
    doc = (
        Document.objects.filter(
            CITIZEN_FILES,
            pk=document_id,
            dossier__in=citizen_dossiers(user).values("pk"),
        )
        .select_related("dossier")
        .first()
    )
    if doc is None:
        raise NotFound("Không tìm thấy tài liệu.", "Document not found.")
    return doc


@dataclass(frozen=True)
class Asked:
    """What the centre asks of the citizen now: components to supplement by a date, or a fee to pay."""

    missing: tuple[dict, ...] = ()
    supplement_due_at: datetime | None = None
    fee_amount: int = 0

    @property
    def requirement_ids(self) -> list[int]:
        return [m["requirement_id"] for m in self.missing if m.get("requirement_id")]


def asked_of(dossier: Dossier, events: list[DossierEvent] | None = None) -> Asked:
    """The last supplement request's list and deadline (Mẫu 02) while it waits, or the fee while a payment
    is awaited; nothing otherwise."""
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        if events is None:
            last = dossier.events.filter(action="request_supplement").order_by("-at", "-id").first()
        else:
            last = next((e for e in reversed(events) if e.action == "request_supplement"), None)
        missing = tuple((last.payload or {}).get("missing", [])) if last else ()
        return Asked(missing=missing, supplement_due_at=dossier.supplement_due_at)
    if dossier.status == Status.AWAITING_PAYMENT:
        return Asked(fee_amount=dossier.fee_amount)
    return Asked()


def public_events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier, public=True).order_by("at", "id"))


def citizen_timeline(events: list[DossierEvent]) -> list[TimelineEntry]:
    """The public events in the citizen's words, in the reader's language (as public tracking shows them)."""
    entries = (timeline_entry(e.action, e.to_status, e.at, e.note, e.payload) for e in events)
    return [e for e in entries if e.text]


def citizen_forms(dossier: Dossier, events: list[DossierEvent]) -> list[str]:
    """The printed forms the citizen may download now (issuing.forms_that_apply, less the internal one)."""
    return [n for n in forms_that_apply(dossier, [e.action for e in events]) if n in CITIZEN_FORMS]


# --- the catalogue -----------------------------------------------------------------------------------------


def online_catalogue(text: str | None = None) -> QuerySet[Procedure]:
    """Active procedures offered online, searched without diacritics (procedures.selectors)."""
    found = catalogue_list().exclude(online_level=Procedure.OnlineLevel.NONE)
    return search_procedures(found, text).prefetch_related("fees").order_by("sector__name", "name", "id")


def catalogue_procedure(code: str) -> Procedure:
    procedure = procedure_detail_queryset().filter(active=True, code=(code or "")[:32]).first()
    if procedure is None:
        raise NotFound("Không tìm thấy thủ tục.", "Procedure not found.")
    return procedure


@dataclass(frozen=True)
class FeeLine:
    name: str
    unit: str
    amount: int
    online_amount: int


def online_amount(amount: int, discount_pct: int) -> int:
    """The fee when filed online: the catalogue's amount less the procedure's online discount (whole đồng)."""
    pct = min(max(discount_pct or 0, 0), 100)
    return amount * (100 - pct) // 100


def fee_lines(procedure: Procedure) -> list[FeeLine]:
    """Each fee of the procedure with its online amount (uses the prefetched fees)."""
    pct = procedure.online_fee_discount_pct
    return [
        FeeLine(f.name, f.get_unit_display(), f.amount, online_amount(f.amount, pct))
        for f in procedure.fees.all()
    ]


def provinces() -> QuerySet[Agency]:
    return Agency.objects.filter(level=Agency.Level.PROVINCE, active=True).order_by("name")


def receiving_agencies(procedure: Procedure, province: Agency | None) -> list[Agency]:
    """The active agencies of the province where the procedure can be filed: those of its level, or those
    of its agency list."""
    if province is None:
        return []
    listed = list(procedure.agencies.all())
    agencies = Agency.objects.filter(active=True).filter(Q(pk=province.pk) | Q(parent_id=province.pk))
    if listed:
        listed_ids = {a.pk for a in listed}
        agencies = agencies.filter(Q(pk__in=listed_ids) | Q(parent_id__in=listed_ids))
    else:
        agencies = agencies.filter(level=procedure.level)
    return list(agencies.order_by("name"))


def draft_with_components(draft: OnlineDraft):
    """The draft's requirements, each with its component (uploaded or reused) or None."""
    by_requirement = {c.requirement_id: c for c in draft.components.all()}
    return [(r, by_requirement.get(r.pk)) for r in draft.procedure.requirements.all()]


__all__ = [
    "Asked",
    "FeeLine",
    "asked_of",
    "catalogue_procedure",
    "citizen_document",
    "citizen_documents",
    "citizen_dossier",
    "citizen_dossiers",
    "citizen_draft",
    "citizen_drafts",
    "citizen_forms",
    "citizen_timeline",
    "draft_with_components",
    "fee_lines",
    "online_amount",
    "online_catalogue",
    "provinces",
    "public_events",
    "receiving_agencies",
]
