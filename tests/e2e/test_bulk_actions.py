"""A bulk action through the browser: a clerk ticks several dossiers in a queue, forwards them, and reads the
outcome of each, one of them refused with the service's reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import Role
from dossiers.lifecycle.services import perform
from dossiers.models import DossierEvent
from tests import factories
from tests.dossiers.lifecycle import intake

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


def test_a_clerk_forwards_several_dossiers_and_sees_each_outcome(
    live_server, browser: Browser, flushable_event_log
):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    procedure = factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    clerk = factories.user(role=Role.CLERK, agency=ward, username="clerk", password=PASSWORD)
    handler = factories.user(role=Role.HANDLER, agency=ward, full_name="Phạm Thẩm Định")
    first, second, moved_on = (intake(clerk, ward, procedure) for _ in range(3))
    perform(moved_on.code, "forward", clerk, {})  # already at the handler's step: the clerk is refused

    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    page.goto(f"{live_server.url}/desk/q/in_progress/")

    for d in (first, second, moved_on):
        page.check(f'input[name="codes"][value="{d.code}"]')
    page.click('#bulk button[value="forward"]')

    page.wait_for_url(re.compile(r"/desk/bulk/"))
    expect(page.locator("h1")).to_contain_text("3 hồ sơ")
    page.select_option("select[name=to_user]", str(handler.pk))
    page.fill("textarea[name=note]", "Đủ thành phần")
    page.get_by_role("button", name="Chuyển xử lý").click()

    outcomes = page.locator("table.bulk-outcomes tbody tr")
    expect(outcomes).to_have_count(3)
    expect(page.locator('tr[data-ok="1"]')).to_have_count(2)
    refused = page.locator(f'tr[data-code="{moved_on.code}"]')
    expect(refused).to_have_attribute("data-ok", "0")
    expect(refused).to_contain_text("không còn do bạn xử lý")
    expect(page.locator(".bulk-summary")).to_contain_text("2 hồ sơ đã thực hiện")
    page.get_by_role("link", name=first.code).click()
    page.wait_for_url(re.compile(rf"/dossiers/{re.escape(first.code)}/"))
    expect(page.locator("main")).to_contain_text("Phạm Thẩm Định")
    assert DossierEvent.objects.filter(action="forward", note="Đủ thành phần").count() == 2
