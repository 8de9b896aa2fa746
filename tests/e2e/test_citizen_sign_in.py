"""A citizen signs in with VNeID from a phone: the login page, the local provider's page, and back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from tests.vneid import AN, running_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def vneid_for_browser(live_server):
    with running_provider(
        redirect_uris=[f"{live_server.url}/accounts/vneid/callback/"],
        post_logout=[f"{live_server.url}/accounts/login/"],
    ) as provider:
        yield provider


def test_a_citizen_signs_in_with_vneid_on_a_phone(
    live_server, browser: Browser, vneid_for_browser, settings, flushable_event_log
):
    for name, value in vneid_for_browser.settings().items():
        setattr(settings, name, value)
    base = live_server.url
    page = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    page.wait_for_url(re.compile(re.escape(vneid_for_browser.url) + r"/interaction/"))
    expect(page.get_by_role("heading", name="Đăng nhập / Sign in")).to_be_visible()
    page.get_by_label(re.compile(AN[1])).check()
    page.get_by_role("button", name="Đăng nhập / Sign in").click()

    # Back on our side, signed in, at the citizen home (CITIZEN_HOME_URL, the citizen portal's address).
    page.wait_for_url(f"{base}{settings.CITIZEN_HOME_URL}")
    expect(page.locator(".who-name")).to_have_text(AN[1])
    assert User.objects.get(is_citizen=True, national_id=AN[0]).full_name == AN[1]

    # Signing out ends our session, then the provider's (its confirmation page), and comes back to login.
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(re.escape(vneid_for_browser.url) + r"/session/end"))
    page.locator("button[autofocus], button[type=submit]").first.click()
    page.wait_for_url(f"{base}/accounts/login/")
    expect(page.get_by_role("link", name="Đăng nhập bằng VNeID")).to_be_visible()
