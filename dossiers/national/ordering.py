"""Per-dossier order for the national channels: a message waits while an earlier one of its dossier is unsent.

The portal refuses a progress step for a dossier it has not received yet, and a status must not be
overtaken by an older one; so the sender of a channel defers (outbox.Deferred, no failed attempt counted) a
message while an earlier message of the same dossier on the same channel is pending or dead. A dead one
holds the rest until an operator retries it (or `dvcqg_reconcile --resend` queues the fix).
"""

from __future__ import annotations

from django.conf import settings

from dossiers.models import OutboxMessage
from dossiers.notify.outbox import Deferred


def wait_for_earlier(message: OutboxMessage) -> None:
    """Raise Deferred when an earlier message of the dossier on this channel is still unsent (index
    outbox_dossier_unsent)."""
    if message.dossier_id is None:
        return
    earlier = (
        OutboxMessage.objects.filter(
            dossier_id=message.dossier_id, channel=message.channel, id__lt=message.pk
        )
        .exclude(status=OutboxMessage.State.SENT)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if earlier is not None:
        raise Deferred(f"waiting for message {earlier} of the same dossier", seconds=_wait())


def _wait() -> float:
    return max(float(settings.OUTBOX_BACKOFF_SECONDS) / 3, 1.0)
