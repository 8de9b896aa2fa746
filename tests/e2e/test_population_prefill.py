"""The clerk types the applicant's ID, presses "Tra cứu", and the intake form fills from the population
database (the simulator over HTTP); the dossier received is verified."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import Role
from dossiers.models import Dossier
from seeds.simulators.population import PopulationSimulator
from tests import factories
from tests.national.population import forget_lookups
from tests.simulators import running

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


@pytest.fixture
def simulator(settings):
    forget_lookups()
    with running(PopulationSimulator()) as server:
        settings.POPULATION_URL = server.url
        yield server
    forget_lookups()


def test_lookup_fills_the_form_and_the_dossier_is_verified(
    live_server, browser: Browser, simulator, flushable_event_log
):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    procedure = factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    factories.user(role=Role.CLERK, agency=ward, username="clerk", password=PASSWORD)
    base = live_server.url

    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    page.goto(f"{base}/desk/intake/?procedure={procedure.pk}")
    for requirement in procedure.requirements.all():
        page.check(f"input[name=provided_{requirement.pk}]")
    page.fill("#id_applicant_phone", "0912345678")
    page.fill("#id_applicant_id_number", "001190012345")
    page.get_by_role("button", name="Tra cứu").click()

    expect(page.locator("#id_applicant_name")).to_have_value("Trần Thị Bình")
    expect(page.locator("#id_applicant_birth_date")).to_have_value("1990-05-14")
    expect(page.locator("#id_applicant_address")).to_have_value(re.compile("Hàng Bạc"))
    expect(page.locator("#id_applicant_phone")).to_have_value("0912345678")  # what was typed stays
    expect(page.locator("#population-status")).to_contain_text("Đã tra cứu")
    assert page.url.endswith(f"?procedure={procedure.pk}")  # no page load: htmx swapped the fields

    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(re.compile(r"/dossiers/"))
    expect(page.locator("main")).to_contain_text("Đã xác thực")
    assert Dossier.objects.get().population_check == "verified"
