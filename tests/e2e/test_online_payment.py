"""A citizen on a phone pays a dossier's fee at the payment platform (the simulator) and sees it paid."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from accounts.models import Role
from dossiers.models import Dossier, DossierEvent, Status
from tests import factories
from tests.payments.conftest import ONLINE_FEE, awaiting_payment, paid_procedure, platform  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in_context(browser: Browser, base: str, user):
    """A phone-sized browser carrying the session of `user` (signed in by the test, not by a form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    host = urlsplit(base).hostname
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    return context


def test_a_citizen_pays_online_and_sees_the_dossier_paid(
    live_server,
    browser: Browser,
    flushable_event_log,
    platform,  # noqa: F811
    paid_procedure,  # noqa: F811
    settings,
):
    settings.PAYMENT_RETURN_BASE_URL = live_server.url
    province = factories.agency(name="Tỉnh Thử")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    clerk = factories.user(role=Role.CLERK, agency=ward)
    citizen = factories.user(national_id="001190012345", full_name="Trần Thị Bình")
    dossier = awaiting_payment(paid_procedure, ward, clerk, citizen)
    violations: list[str] = []

    page = signed_in_context(browser, live_server.url, citizen).new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/thanh-toan/{dossier.code}/")
    expect(page.locator("#amount")).to_contain_text("10")
    page.click("#pay")

    page.wait_for_url(f"{platform.url}/thanh-toan/*")
    expect(page.locator("#so-tien")).to_contain_text(f"{ONLINE_FEE:,}".replace(",", "."))
    page.get_by_role("button", name="Thanh toán").click()

    page.wait_for_url(f"{live_server.url}/thanh-toan/ket-qua/**")
    expect(page.locator("#outcome")).to_have_attribute("data-state", "paid")
    expect(page.locator("#outcome")).to_contain_text("Đã thanh toán")
    d = Dossier.objects.get(pk=dossier.pk)
    assert (d.status, d.paid_online) == (Status.PROCESSING, True)
    assert DossierEvent.objects.filter(dossier=d, action="confirm_payment").count() == 1
    assert violations == []
