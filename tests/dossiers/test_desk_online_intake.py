"""The clerk's "Chờ tiếp nhận" tab: online dossiers with their age and uploaded files inline, received or
refused from the row."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.models import Document, Dossier, Status
from procedures.models import Procedure
from tests import factories
from tests.dossiers.portal_helpers import file_online

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def online_procedure(db):
    return factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)


def test_the_tab_shows_age_and_files(client, clerk, ward, online_procedure):
    citizen = factories.citizen(full_name="Trần Thị Bình")
    dossier = file_online(citizen, ward, online_procedure)
    client.force_login(clerk)
    with time_machine.travel(dossier.submitted_at.timestamp() + 3 * 3600):
        page = client.get("/desk/q/to_receive/").content.decode()
    assert dossier.code in page and "Trần Thị Bình" in page
    assert re.search(r"3\s+giờ", page)  # waited three hours
    for doc in Document.objects.filter(dossier=dossier):
        assert f'href="/documents/{doc.pk}/download"' in page
    assert f'action="/dossiers/{dossier.code}/actions/receive/"' in page
    assert f'href="/dossiers/{dossier.code}/actions/refuse_intake/"' in page


def test_the_tab_queries_do_not_grow_with_rows(
    client, clerk, ward, online_procedure, django_assert_num_queries
):
    citizen = factories.citizen()
    file_online(citizen, ward, online_procedure)
    client.force_login(clerk)
    client.get("/desk/q/to_receive/")
    with CaptureQueriesContext(connection) as one:
        client.get("/desk/q/to_receive/")
    for _ in range(3):
        file_online(citizen, ward, online_procedure)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/desk/q/to_receive/").content.decode()
    assert page.count("/actions/receive/") == 4


def test_receiving_from_the_row(client, clerk, ward, online_procedure):
    dossier = file_online(factories.citizen(), ward, online_procedure)
    client.force_login(clerk)
    client.post(f"/dossiers/{dossier.code}/actions/receive/")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
