"""Keeps the working-day calendar fresh in every process when a local override changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import calendar
from .models import CalendarOverride


@receiver(post_save, sender=CalendarOverride, dispatch_uid="calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="calendar_override_deleted")
def calendar_override_changed(sender, **kwargs) -> None:
    # Now for this process, and again after commit so other processes reload the committed rows.
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)
