"""Keeps the working-day calendar and the catalogue cache fresh in every process when they change."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from . import cache
from .calendar import calendar
from .models import CalendarOverride, DocumentRequirement, Procedure, StepTemplate


@receiver(post_save, sender=CalendarOverride, dispatch_uid="calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="calendar_override_deleted")
def calendar_override_changed(sender, **kwargs) -> None:
    # Now for this process, and again after commit so other processes reload the committed rows.
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)


def _catalogue_changed(procedure_ids) -> None:
    """A component, step template or offering agency changed outside a versioned edit: a new cache key."""
    ids = {i for i in procedure_ids if i}
    if not ids:
        return
    Procedure.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    cache.forget(ids)
    transaction.on_commit(lambda: cache.forget(ids))


@receiver(post_save, sender=DocumentRequirement, dispatch_uid="requirement_saved")
@receiver(post_delete, sender=DocumentRequirement, dispatch_uid="requirement_deleted")
@receiver(post_save, sender=StepTemplate, dispatch_uid="step_template_saved")
@receiver(post_delete, sender=StepTemplate, dispatch_uid="step_template_deleted")
def procedure_part_changed(sender, instance, **kwargs) -> None:
    _catalogue_changed([instance.procedure_id])


@receiver(m2m_changed, sender=Procedure.agencies.through, dispatch_uid="procedure_agencies_changed")
def procedure_agencies_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse and action in ("post_add", "post_remove", "post_clear"):
        _catalogue_changed([instance.pk])
    elif reverse and action in ("post_add", "post_remove"):
        _catalogue_changed(pk_set or ())
    elif reverse and action == "pre_clear":  # agency.procedures.clear(): every procedure it offers now
        _catalogue_changed(Procedure.objects.filter(agencies=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Procedure, dispatch_uid="procedure_saved")
def procedure_saved(sender, instance, **kwargs) -> None:
    cache.forget([instance.pk])
