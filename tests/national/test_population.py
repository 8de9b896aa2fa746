"""The population database lookup at intake, against the simulator over HTTP: prefill, verification from the
server's own lookup only, the desk at normal speed while the link is down or slow, the later check."""

from __future__ import annotations

import time
from datetime import date

import pytest
import requests

from accounts.models import Role
from dossiers.lifecycle import population as checks
from dossiers.models import Dossier, DossierEvent, Notification, PopulationCheck
from dossiers.national import population
from dossiers.national.links import is_open
from seeds.citizens import CITIZENS, DEMO_LOOKUP_ID
from tests import factories
from tests.helpers import client_for
from tests.national.population import UNKNOWN_ID, received
from tests.simulators import set_fault

pytestmark = pytest.mark.django_db
BINH = CITIZENS[0]  # Trần Thị Bình, 001190012345


@pytest.fixture
def desk(client, clerk):
    client.force_login(clerk)
    return client


def intake_post(procedure, ward, **overrides):
    data = {
        "procedure": procedure.pk,
        "agency": ward.pk,
        "applicant_name": BINH.name,
        "applicant_id_number": BINH.id_number,
        "applicant_phone": "0912345678",
        "applicant_address": BINH.address,
        "sets": "1",
    }
    for req in procedure.requirements.all():
        data[f"provided_{req.pk}"] = "on"
    data.update(overrides)
    return data


def lookup_post(procedure, ward, id_number, **more):
    return {"procedure": procedure.pk, "agency": ward.pk, "applicant_id_number": id_number, **more}


# --- the adapter and its simulator ---


def test_a_known_id_gives_name_birth_date_gender_address_and_id_issue(population_sim, ward):
    citizen = population.lookup(BINH.id_number, agency_code=ward.code, officer="clerk")
    assert (citizen.name, citizen.birth_date, citizen.gender) == (BINH.name, date(1990, 5, 14), "female")
    assert citizen.address == BINH.address and citizen.id_issued_on and citizen.id_issued_by
    [request] = received(population_sim)
    assert request["status"] == 200 and request["body"]["MaDonVi"] == ward.code
    assert request["body"]["MucDich"] == "TIEP_NHAN" and len(request["body"]["MaYeuCau"]) == 32


def test_an_unknown_id_is_not_found_and_the_link_still_works(population_sim, ward):
    assert population.lookup(UNKNOWN_ID, agency_code=ward.code, officer="clerk") is None
    assert population.remembered(UNKNOWN_ID) is None
    assert not is_open("population")


@pytest.mark.parametrize(
    "body, fault",
    [
        ({"SoDinhDanh": "12345"}, "SoDinhDanh: does not match"),
        ({"MaDonVi": "H15"}, "MaDonVi: does not match"),
        ({"MaYeuCau": ""}, "MaYeuCau: required"),
        ({"MucDich": "TO_SELL"}, "MucDich: not one of"),
        ({"Extra": "x"}, "Extra: unknown field"),
    ],
)
def test_the_simulator_refuses_a_malformed_request(population_sim, body, fault):
    good = {
        "SoDinhDanh": BINH.id_number,
        "MaDonVi": "000.00.11.H15",
        "NguoiYeuCau": "motcua",
        "MaYeuCau": "0" * 32,
        "MucDich": "TIEP_NHAN",
    }
    answer = requests.post(
        f"{population_sim.url}/api/cong-dan/tra-cuu",
        json={**good, **body},
        headers={"X-Api-Key": "k"},
        timeout=5,
    )
    assert answer.status_code == 400 and any(f.startswith(fault) for f in answer.json()["faults"])
    no_key = requests.post(f"{population_sim.url}/api/cong-dan/tra-cuu", json=good, timeout=5)
    assert no_key.status_code == 401


def test_a_refused_request_is_unavailable_not_a_citizen(population_sim, ward, settings):
    settings.POPULATION_API_KEY = ""
    with pytest.raises(population.Refused):
        population.lookup(BINH.id_number, agency_code=ward.code, officer="clerk")


def test_a_refused_request_does_not_hold_up_the_check_of_the_others(population_sim, ward, birth_registration):
    odd = factories.agency(parent=ward.parent, code="000.00.99.T99")
    first = factories.dossier(
        procedure=birth_registration,
        agency=odd,
        population_check="pending",
        applicant_id_number=BINH.id_number,
    )
    from accounts.models import Agency

    Agency.objects.filter(pk=odd.pk).update(code="bad code")  # refused by the platform: not an agency code
    second = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        population_check="pending",
        applicant_name=BINH.name,
        applicant_id_number=BINH.id_number,
    )
    counts = checks.check_pending()
    assert counts["refused"] == 1 and counts["verified"] == 1
    assert Dossier.objects.get(pk=first.pk).population_check == "pending"
    assert Dossier.objects.get(pk=second.pk).population_check == "verified"


# --- the desk: prefill and the verification fact ---


def test_the_desk_lookup_prefills_name_birth_date_and_address(population_sim, desk, ward, birth_registration):
    page = desk.get("/desk/intake/", {"procedure": birth_registration.pk}).content.decode()
    assert "Tra cứu" in page and 'hx-post="/desk/intake/lookup/"' in page

    partial = desk.post(
        "/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number)
    ).content.decode()
    assert f'value="{BINH.name}"' in partial
    assert 'value="1990-05-14"' in partial
    assert BINH.address in partial and "<html" not in partial
    assert [r["status"] for r in received(population_sim)] == [200]


def test_without_javascript_the_lookup_button_prefills_the_whole_form(
    population_sim, desk, ward, birth_registration
):
    data = intake_post(birth_registration, ward, applicant_name="", applicant_address="", lookup="1")
    response = desk.post("/desk/intake/", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Dossier.objects.exists()
    assert f'value="{BINH.name}"' in html and "<html" in html and 'value="0912345678"' in html


def test_a_dossier_received_after_the_lookup_is_verified(population_sim, desk, ward, birth_registration):
    desk.post("/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number))
    data = intake_post(birth_registration, ward, applicant_birth_date="1990-05-14")
    assert desk.post("/desk/intake/", data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.population_check == PopulationCheck.VERIFIED and dossier.population_checked_at
    assert dossier.national_sources == ["population"] and dossier.applicant_birth_date == date(1990, 5, 14)
    assert "Đã xác thực" in desk.get(f"/dossiers/{dossier.code}/").content.decode()
    assert len(received(population_sim)) == 1  # the intake itself asked nothing


def test_a_browser_posted_verification_flag_does_nothing(population_sim, desk, ward, birth_registration):
    forged = intake_post(
        birth_registration,
        ward,
        population_check="verified",
        population_checked_at="2026-01-01T00:00:00",
        national_sources="population",
        population_verified="1",
    )
    assert desk.post("/desk/intake/", forged).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.population_check == PopulationCheck.PENDING and dossier.national_sources == []
    assert "Chưa xác thực" in desk.get(f"/dossiers/{dossier.code}/").content.decode()


def test_details_changed_after_the_lookup_are_a_mismatch_naming_what_differs(
    population_sim, desk, ward, birth_registration
):
    desk.post("/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number))
    desk.post("/desk/intake/", intake_post(birth_registration, ward, applicant_name="Trần Thị Bính"))
    dossier = Dossier.objects.get()
    assert dossier.population_check == PopulationCheck.MISMATCH
    assert dossier.population_differences == [
        {"field": "name", "dossier": "Trần Thị Bính", "population": BINH.name}
    ]
    page = desk.get(f"/dossiers/{dossier.code}/").content.decode()
    assert "Sai khác với CSDL dân cư" in page and "Trần Thị Bính" in page


def test_names_differing_only_in_case_and_spacing_match():
    citizen = population.Citizen(BINH.id_number, BINH.name, date(1990, 5, 14), "female", BINH.address)
    assert checks.differences(citizen, "  trần  THỊ bình ", date(1990, 5, 14)) == []
    assert [d["field"] for d in checks.differences(citizen, BINH.name, date(1990, 5, 15))] == ["birth_date"]


# --- the link down, slow or failing: the desk at normal speed ---


def test_link_stopped_the_desk_enters_by_hand_and_the_dossier_is_not_verified(
    population_sim, desk, ward, birth_registration
):
    population_sim.stop()
    started = time.monotonic()
    partial = desk.post(
        "/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number)
    ).content.decode()
    assert time.monotonic() - started < 3.0  # a refused connection, no wait
    assert "Chưa xác thực" in partial and "Chưa kết nối được" in partial
    assert desk.post("/desk/intake/", intake_post(birth_registration, ward)).status_code == 302
    assert Dossier.objects.get().population_check == PopulationCheck.PENDING


def test_slow_past_the_timeout_the_lookup_gives_up_at_the_timeout(
    population_sim, desk, ward, birth_registration, settings
):
    settings.POPULATION_TIMEOUT = 0.5
    set_fault(population_sim, "slow", seconds=5)
    started = time.monotonic()
    partial = desk.post(
        "/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number)
    ).content.decode()
    assert time.monotonic() - started < 3.0  # well before the platform's 5 s answer
    assert "Chưa kết nối được" in partial


def test_with_the_circuit_open_nothing_is_sent_and_the_desk_does_not_wait(
    population_sim, desk, ward, birth_registration, settings
):
    set_fault(population_sim, "error", status=503)  # failed requests are not kept in `received`
    for _ in range(2):  # NATIONAL_BREAKER_FAILURES in the fixture
        desk.post("/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number))
    assert is_open("population")
    # Any request now would wait the whole timeout for the platform's slow answer.
    settings.POPULATION_TIMEOUT = 4
    set_fault(population_sim, "slow", seconds=6)

    started = time.monotonic()
    page = desk.get("/desk/intake/", {"procedure": birth_registration.pk}).content.decode()
    partial = desk.post(
        "/desk/intake/lookup/", lookup_post(birth_registration, ward, BINH.id_number)
    ).content.decode()
    assert desk.post("/desk/intake/", intake_post(birth_registration, ward)).status_code == 302
    assert time.monotonic() - started < 4.0
    assert "Chưa xác thực" in page and "Chưa kết nối được" in partial
    assert received(population_sim) == []  # not one request while open
    assert Dossier.objects.get().population_check == PopulationCheck.PENDING


# --- the periodic check ---


def test_the_check_verifies_pending_dossiers_once_the_link_is_back(
    population_sim, clerk, ward, birth_registration
):
    population_sim.stop()
    from dossiers.lifecycle.services import receive_at_counter

    def receive(name, id_number):
        return receive_at_counter(
            actor=clerk,
            agency=ward,
            procedure=birth_registration,
            applicant={"name": name, "id_number": id_number},
            provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
        )

    good = receive(BINH.name, BINH.id_number)
    wrong = receive("Trần Văn Bình", CITIZENS[1].id_number)
    unknown = receive("Ai Đó", UNKNOWN_ID)
    assert checks.check_pending()["unavailable"] == 1  # down: stops at once, nothing recorded
    assert Dossier.objects.filter(population_check="pending").count() == 3

    from seeds.simulators.base import start
    from seeds.simulators.population import PopulationSimulator

    back = start(PopulationSimulator(), port=0)
    try:
        from django.conf import settings

        settings.POPULATION_URL = back.url
        from dossiers.models import NationalLink

        NationalLink.objects.filter(name="population").update(open_until=None)
        counts = checks.check_pending()
    finally:
        back.stop()
    assert counts == {"verified": 1, "mismatch": 1, "not_found": 1, "unavailable": 0, "refused": 0}
    good, wrong, unknown = (Dossier.objects.get(pk=d.pk) for d in (good, wrong, unknown))
    assert good.population_check == "verified" and good.national_sources == ["population"]
    assert wrong.population_check == "mismatch" and wrong.population_differences[0]["field"] == "name"
    assert unknown.population_check == "not_found" and unknown.national_sources == []
    assert DossierEvent.objects.filter(action="population_check").count() == 3
    flagged = Notification.objects.filter(user=clerk, kind="population_mismatch")
    assert sorted(n.dossier_id for n in flagged) == sorted([wrong.pk, unknown.pk])
    assert checks.check_pending() == {
        "verified": 0,
        "mismatch": 0,
        "not_found": 0,
        "unavailable": 0,
        "refused": 0,
    }


def test_the_check_reads_only_pending_dossiers_in_few_queries(
    population_sim, clerk, ward, birth_registration, django_assert_max_num_queries
):
    for _ in range(3):
        factories.dossier(procedure=birth_registration, agency=ward, population_check="verified")
    pending = factories.dossier(
        procedure=birth_registration,
        agency=ward,
        population_check="pending",
        applicant_name=BINH.name,
        applicant_id_number=BINH.id_number,
    )
    with django_assert_max_num_queries(20):
        assert checks.check_pending()["verified"] == 1
    assert Dossier.objects.get(pk=pending.pk).population_check == "verified"
    assert [r["body"]["MucDich"] for r in received(population_sim)] == ["XAC_THUC"]


def test_an_online_dossier_is_checked_the_same_way(population_sim, ward, birth_registration):
    from dossiers.lifecycle.services import submit_online
    from procedures.models import Procedure

    Procedure.objects.filter(pk=birth_registration.pk).update(online_level="full")
    birth_registration.refresh_from_db()
    citizen = factories.user(role=Role.CITIZEN, agency=ward)
    dossier = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=birth_registration,
        applicant={"name": BINH.name, "id_number": BINH.id_number},
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    assert dossier.population_check == "pending"
    checks.check_pending()
    assert Dossier.objects.get(pk=dossier.pk).population_check == "verified"


# --- the API ---


def test_the_api_lookup_answers_a_clerk(population_sim, clerk, ward):
    answer = client_for(clerk).post(
        "/api/v1/population/lookup/", {"id_number": BINH.id_number}, format="json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "found" and body["citizen"]["name"] == BINH.name
    assert body["citizen"]["birth_date"] == "1990-05-14" and body["message_en"]
    missing = client_for(clerk).post("/api/v1/population/lookup/", {"id_number": UNKNOWN_ID}, format="json")
    assert missing.json()["status"] == "not_found" and missing.json()["citizen"] is None


def test_the_api_lookup_then_intake_is_verified(population_sim, clerk, ward, birth_registration):
    api = client_for(clerk)
    api.post("/api/v1/population/lookup/", {"id_number": BINH.id_number}, format="json")
    created = api.post(
        "/api/v1/dossiers/",
        {
            "procedure": birth_registration.code,
            "applicant": {"name": BINH.name, "id_number": BINH.id_number, "birth_date": "1990-05-14"},
            "provided_requirement_ids": [r.pk for r in birth_registration.requirements.all()],
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["population_check"] == "verified"


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.CITIZEN])
def test_only_clerks_may_look_up(population_sim, ward, role):
    user = factories.user(role=role, agency=ward)
    answer = client_for(user).post("/api/v1/population/lookup/", {"id_number": BINH.id_number}, format="json")
    assert answer.status_code == 403
    assert received(population_sim) == []


def test_a_bad_id_is_a_bilingual_error_and_asks_nothing(population_sim, clerk):
    answer = client_for(clerk).post("/api/v1/population/lookup/", {"id_number": "12345"}, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"].startswith("Số định danh") and error["message_en"]
    assert received(population_sim) == []


def test_lookups_are_rate_limited_per_user(population_sim, clerk, settings):
    settings.POPULATION_LOOKUP_RATE_LIMIT = "2/60"
    api = client_for(clerk)
    codes = [
        api.post("/api/v1/population/lookup/", {"id_number": DEMO_LOOKUP_ID}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_api_lookup_with_the_link_down_answers_unavailable(population_sim, clerk):
    population_sim.stop()
    answer = client_for(clerk).post(
        "/api/v1/population/lookup/", {"id_number": BINH.id_number}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "unavailable"
