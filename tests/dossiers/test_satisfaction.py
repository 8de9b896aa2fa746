"""Satisfaction on five levels, once per dossier after the result is returned: from the tracking page (code +
PIN) or by the signed-in applicant; the three old levels are migrated onto the five."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from accounts.models import Role
from config.errors import Conflict, Forbidden
from dossiers.lifecycle.services import rate_satisfaction
from dossiers.models import Dossier, Status
from tests import factories
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
LEVELS = [
    ("very_satisfied", "Rất hài lòng"),
    ("satisfied", "Hài lòng"),
    ("neutral", "Bình thường"),
    ("dissatisfied", "Không hài lòng"),
    ("very_dissatisfied", "Rất không hài lòng"),
]


@pytest.fixture
def citizen(ward):
    return factories.user(role=Role.CITIZEN, agency=ward)


@pytest.fixture
def returned(ward, birth_registration, citizen):
    return factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RETURNED, applicant_user=citizen
    )


def test_the_tracking_page_offers_the_five_levels_in_order(client, returned):
    page = client.post("/tra-cuu/", {"code": returned.code, "pin": returned.tracking_pin}).content.decode()
    positions = [page.index(f'value="{value}"') for value, _label in LEVELS]
    assert positions == sorted(positions)
    for _value, label in LEVELS:
        assert label in page


@pytest.mark.parametrize(("value", "label"), LEVELS)
def test_each_level_can_be_given_on_the_tracking_page(client, returned, value, label):
    data = {"code": returned.code, "pin": returned.tracking_pin, "satisfaction": value}
    page = client.post("/tra-cuu/danh-gia/", data).content.decode()
    assert "Cảm ơn bạn đã đánh giá" in page and label in page
    assert Dossier.objects.get(pk=returned.pk).satisfaction == value


def test_the_signed_in_applicant_rates_their_own_dossier_once(returned, citizen):
    rate_satisfaction(returned.code, "neutral", applicant=citizen)
    event = returned.events.get(action="rate")
    assert (event.actor, event.payload, event.public) == (
        citizen,
        {"satisfaction": "neutral", "via": "account"},
        True,
    )
    with pytest.raises(Conflict) as err:
        rate_satisfaction(returned.code, "satisfied", applicant=citizen)
    assert err.value.code == "already_rated"


def test_someone_else_signed_in_cannot_rate(returned, ward, clerk):
    for user in (factories.user(role=Role.CITIZEN, agency=ward), clerk):
        with pytest.raises(Forbidden):
            rate_satisfaction(returned.code, "satisfied", applicant=user)
    assert Dossier.objects.get(pk=returned.pk).satisfaction == ""


@pytest.mark.parametrize(
    ("who", "status", "body", "code", "error"),
    [
        ("applicant", Status.RETURNED, {"satisfaction": "very_dissatisfied"}, 200, None),
        ("applicant", Status.RESOLVED, {"satisfaction": "satisfied"}, 409, "not_returned"),
        ("applicant", Status.RETURNED, {"satisfaction": "not_satisfied"}, 400, None),  # an old level
        ("applicant", Status.RETURNED, {}, 400, None),
        ("other", Status.RETURNED, {"satisfaction": "satisfied"}, 404, None),  # not even visible
        ("clerk", Status.RETURNED, {"satisfaction": "satisfied"}, 403, "not_applicant"),
    ],
)
def test_the_api_lets_the_signed_in_applicant_rate(
    request, ward, birth_registration, citizen, who, status, body, code, error
):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=status, applicant_user=citizen)
    user = {
        "applicant": citizen,
        "other": factories.user(role=Role.CITIZEN, agency=ward),
        "clerk": request.getfixturevalue("clerk"),
    }[who]
    response = client_for(user).post(f"/api/v1/dossiers/{d.code}/satisfaction/", body, format="json")
    assert response.status_code == code, response.json()
    if code == 200:
        assert response.json() == {
            "code": d.code,
            "satisfaction": "very_dissatisfied",
            "satisfaction_label": "Rất không hài lòng",
        }
    if error:
        assert response.json()["error"]["code"] == error


MIGRATION = importlib.import_module("dossiers.migrations.0014_satisfaction_five_levels")


@pytest.mark.parametrize(
    ("old", "new", "back"),
    [
        ("very_satisfied", "very_satisfied", "very_satisfied"),
        ("satisfied", "satisfied", "satisfied"),
        ("not_satisfied", "dissatisfied", "not_satisfied"),
        ("", "", ""),
    ],
)
def test_three_level_ratings_keep_their_meaning_on_five_levels(ward, birth_registration, old, new, back):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    Dossier.objects.filter(pk=d.pk).update(satisfaction=old)
    MIGRATION._remap(MIGRATION.FORWARD)(apps, None)
    assert Dossier.objects.get(pk=d.pk).satisfaction == new
    MIGRATION._remap(MIGRATION.BACKWARD)(apps, None)
    assert Dossier.objects.get(pk=d.pk).satisfaction == back


@pytest.mark.parametrize("level", ["neutral", "very_dissatisfied"])
def test_going_back_to_three_levels_keeps_them_out_of_the_satisfied_count(ward, birth_registration, level):
    d = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RETURNED, satisfaction=level
    )
    MIGRATION._remap(MIGRATION.BACKWARD)(apps, None)
    assert Dossier.objects.get(pk=d.pk).satisfaction == "not_satisfied"
