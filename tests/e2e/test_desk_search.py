"""The desk search through the browser: a clerk types a name without diacritics and opens the dossier."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import Role
from dossiers.models import Status
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


def test_a_clerk_finds_a_dossier_by_a_name_without_diacritics(
    live_server, browser: Browser, flushable_event_log
):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    procedure = factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    factories.user(role=Role.CLERK, agency=ward, username="clerk", password=PASSWORD, full_name="Lê Thu Hà")
    wanted = factories.dossier(procedure=procedure, agency=ward, applicant_name="Nguyễn Văn An")
    factories.dossier(
        procedure=procedure, agency=ward, status=Status.RESOLVED, applicant_name="Trần Thị Bình"
    )

    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))

    page.fill("#desk-q", "nguyen van an")
    page.press("#desk-q", "Enter")
    page.wait_for_url(re.compile(r"/desk/search/\?q="))
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table")).to_contain_text("Nguyễn Văn An")
    page.get_by_role("link", name=wanted.code).click()

    page.wait_for_url(re.compile(rf"/dossiers/{re.escape(wanted.code)}/"))
    expect(page.locator("main")).to_contain_text("Nguyễn Văn An")
