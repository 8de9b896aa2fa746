"""Dossier data: the dossier and its steps, the append-only event log, documents, and daily code sequences."""

from .document import Document
from .dossier import Channel, Dossier, DossierStep, Outcome, Status
from .draft import ResultDraft
from .event import DossierEvent
from .notifications import Notification, OutboxMessage, WebhookSubscription
from .saved_filter import SavedFilter
from .sequence import DailySequence
from .stats import StatsMonth, StatsRollup

__all__ = [
    "Channel",
    "DailySequence",
    "Document",
    "Dossier",
    "DossierEvent",
    "DossierStep",
    "Notification",
    "Outcome",
    "OutboxMessage",
    "ResultDraft",
    "SavedFilter",
    "StatsMonth",
    "StatsRollup",
    "Status",
    "WebhookSubscription",
]
