"""Dossier data: the dossier and its steps, the append-only event log, documents, daily code sequences and
queue tickets."""

from .citizen_messages import CitizenMessageRule
from .document import Document
from .dossier import Channel, Dossier, DossierStep, Outcome, PopulationCheck, Status
from .draft import DraftComponent, OnlineDraft
from .event import DossierEvent
from .national import NationalLink
from .notifications import Notification, OutboxMessage, WebhookSubscription
from .payment import PaymentNotice, PaymentTransaction
from .result_draft import ResultDraft
from .saved_filter import SavedFilter
from .sequence import DailySequence
from .stats import StatsMonth, StatsRollup
from .tickets import Counter, ServiceArea, Ticket, TicketEvent

__all__ = [
    "Channel",
    "Counter",
    "CitizenMessageRule",
    "DailySequence",
    "Document",
    "Dossier",
    "DossierEvent",
    "DossierStep",
    "NationalLink",
    "DraftComponent",
    "Notification",
    "OnlineDraft",
    "Outcome",
    "OutboxMessage",
    "PaymentNotice",
    "PaymentTransaction",
    "PopulationCheck",
    "ResultDraft",
    "SavedFilter",
    "ServiceArea",
    "StatsMonth",
    "StatsRollup",
    "Status",
    "Ticket",
    "TicketEvent",
    "WebhookSubscription",
]
