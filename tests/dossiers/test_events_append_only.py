"""The audit log is append-only: the database itself refuses to change or remove an event."""

import pytest
from django.db import DatabaseError, connection, transaction

from dossiers.lifecycle.services import perform
from dossiers.models import DossierEvent

from .lifecycle import (
    intake,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(clerk, ward, birth_registration):
    d = intake(clerk, ward, birth_registration)
    perform(d.code, "withdraw", clerk, {"reason": "Công dân rút"})
    return d.events.get(action="withdraw")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE dossiers_dossierevent SET note = 'sửa' WHERE id = %s",
        "DELETE FROM dossiers_dossierevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_an_event(event, statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    assert DossierEvent.objects.get(pk=event.pk).note == "Công dân rút"


def test_the_orm_cannot_change_events_either(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierEvent.objects.filter(pk=event.pk).delete()
    assert DossierEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_shows_the_log_read_only(event, client):
    from accounts.models import User

    admin = User.objects.create_superuser("root", password="pass12345")
    client.force_login(admin)
    page = client.get(f"/admin/dossiers/dossier/{event.dossier_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Công dân rút" in html and 'name="status"' not in html
