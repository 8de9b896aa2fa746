"""The electronic return of a full-online dossier: its signed result, once issued, is the return itself.

The issuing of the result (dossiers.documents.issuing) calls `return_if_full_online` under the row lock it
already holds, so the result and the return commit together; the system performs the workflow's
`return_electronic` action (no actor), which the table allows only when `_returned_electronically` holds.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from dossiers.lifecycle import clock
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.workflow import ACTIONS, allowed_actions, check_allowed
from dossiers.models import Dossier, Status


def apply_electronic_return(d: Dossier, now: datetime) -> dict:
    """Change the dossier to returned electronically (the caller holds the lock and saves)."""
    d.return_method, d.returned_at = Dossier.ReturnMethod.ELECTRONIC, now
    clock.finish_open_steps(d, now)
    d.return_electronic()
    return {"method": d.return_method}


def return_if_full_online(d: Dossier, now: datetime | None = None) -> bool:
    """Return the locked, resolved dossier electronically when its procedure is full online and it was filed
    online; False (nothing changed) otherwise."""
    if d.status != Status.RESOLVED or "return_electronic" not in allowed_actions(d, None):
        return False
    now = now or timezone.now()
    check_allowed(d, ACTIONS["return_electronic"].name, None)
    payload = apply_electronic_return(d, now)
    d.save()
    record_event(
        d, "return_electronic", from_status=Status.RESOLVED, to_status=d.status, payload=payload, at=now
    )
    return True
