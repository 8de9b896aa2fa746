"""The link-health page's reads: every national link's state, its outbox queue and dead messages, in three
queries whatever the number of links or messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dossiers.models import NationalLink, OutboxMessage
from dossiers.national.health import COLOURS, LABELS, LINK_CHANNELS, state_of
from dossiers.national.links import snapshot

State = OutboxMessage.State
DEAD_SHOWN = 5  # the newest dead messages listed per link; all of them are retried


@dataclass
class LinkHealth:
    link: NationalLink
    state: str
    channels: tuple[str, ...]
    pending: int | None = None  # None: the link has no outbox channel
    dead: int | None = None
    dead_messages: list[OutboxMessage] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(LABELS[self.state])

    @property
    def colour(self) -> str:
        return COLOURS[self.state]


def link_health(now: datetime | None = None) -> list[LinkHealth]:
    now = now or timezone.now()
    channels = [c for cs in LINK_CHANNELS.values() for c in cs]
    counts = {
        (row["channel"], row["status"]): row["n"]
        for row in OutboxMessage.objects.filter(channel__in=channels, status__in=[State.PENDING, State.DEAD])
        .values("channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    dead: dict[str, list[OutboxMessage]] = {}
    newest_dead = (
        OutboxMessage.objects.filter(status=State.DEAD, channel__in=channels)  # index outbox_status_created
        .only("id", "channel", "recipient", "subject", "attempts", "last_error", "created_at")
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("channel")], order_by=[F("created_at").desc(), F("id").desc()]
            )
        )
        .filter(rank__lte=DEAD_SHOWN)
        .order_by("channel", "rank")
    )
    for message in newest_dead:
        dead.setdefault(message.channel, []).append(message)
    result = []
    for link in snapshot():
        own = LINK_CHANNELS.get(link.name, ())
        item = LinkHealth(link, state_of(link, now), own)
        if own:
            item.pending = sum(counts.get((c, State.PENDING), 0) for c in own)
            item.dead = sum(counts.get((c, State.DEAD), 0) for c in own)
            item.dead_messages = [m for c in own for m in dead.get(c, [])][:DEAD_SHOWN]
        result.append(item)
    return result
