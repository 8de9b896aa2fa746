"""The pages work in a browser under their Content-Security-Policy: the browser reports no violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


def watched(browser: Browser, violations: list[str]) -> Page:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)

    def note(message) -> None:  # Chrome reports each refused script, style or request on the console
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", note)
    return page


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_pages_and_htmx_run_without_policy_violations(live_server, browser: Browser, flushable_event_log):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    factories.user(role=Role.CLERK, agency=ward, username="clerk", password=PASSWORD)
    factories.user(role=Role.SUPERVISOR, agency=ward, username="supervisor", password=PASSWORD)
    base = live_server.url
    violations: list[str] = []

    public = watched(browser, violations)
    public.goto(f"{base}/tra-cuu/")
    public.fill("#code", "X-1")
    public.fill("#pin", "123456")
    public.click("button[type=submit]")
    expect(public.locator(".alert-error")).to_be_visible()

    clerk = watched(browser, violations)
    sign_in(clerk, base, "clerk")
    clerk.goto(f"{base}/desk/intake/")
    clerk.fill("#q", "khai sinh")  # htmx search, then the form swapped in by htmx
    clerk.get_by_role("link", name=re.compile("Đăng ký khai sinh")).click()
    expect(clerk.locator("#appointment")).to_contain_text("Ngày hẹn trả")
    clerk.goto(f"{base}/inbox/")

    supervisor = watched(browser, violations)
    sign_in(supervisor, base, "supervisor")
    supervisor.goto(f"{base}/dashboard/")
    expect(supervisor.locator(".cards")).to_be_visible()

    assert violations == []
