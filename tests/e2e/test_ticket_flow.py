"""A queue ticket through the browser: the kiosk issues it, the hall display shows it waiting, the clerk
calls it and the display names the counter, the clerk receives the dossier (linked to the ticket), and the
supervisor's report counts the ticket served."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from dossiers.models import Ticket
from tests import factories
from tests.dossiers.queue import hall

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


@pytest.fixture
def centre(flushable_event_log):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    procedure = factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    factories.user(role=Role.CLERK, agency=ward, username="clerk", password=PASSWORD, full_name="Lê Thu Hà")
    factories.user(role=Role.HANDLER, agency=ward, username="handler", password=PASSWORD)
    factories.user(role=Role.SUPERVISOR, agency=ward, username="supervisor", password=PASSWORD)
    return ward, procedure, hall(ward)


def page_of(browser: Browser) -> Page:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    return page


def login(browser: Browser, base: str, username: str) -> Page:
    page = page_of(browser)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_kiosk_to_display_to_counter_to_dossier_to_report(live_server, browser: Browser, centre):
    ward, procedure, queue = centre
    base = live_server.url

    # A citizen takes a number at the kiosk: the slip shows it with its QR code.
    kiosk = page_of(browser)
    kiosk.goto(f"{base}/kiosk/{ward.code}/")
    kiosk.get_by_role("button", name=re.compile("Hộ tịch")).click()
    expect(kiosk.locator("#slip-number")).to_have_text("A-001")
    expect(kiosk.locator(".slip-qr svg")).to_be_visible()
    expect(kiosk.locator("#ticket-status")).to_contain_text("Còn 0 người trước bạn")

    # The hall display shows it waiting.
    display = page_of(browser)
    display.goto(f"{base}/hien-thi/{ward.code}/")
    expect(display.locator(".board-waiting")).to_contain_text("A-001")

    # The clerk calls it; the display names the counter without being reloaded.
    clerk = login(browser, base, "clerk")
    clerk.goto(f"{base}/desk/quay/{queue.one.pk}/")
    clerk.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã gọi số A-001")
    expect(display.locator(".board-latest")).to_contain_text("A-001")
    expect(display.locator(".board-latest .board-counter")).to_have_text("Quầy 1")
    expect(kiosk.locator("#ticket-status")).to_contain_text("Mời đến Quầy 1")  # the slip's page follows too

    # The citizen comes: the clerk starts serving and receives the dossier at the intake page.
    clerk.get_by_role("button", name="Bắt đầu phục vụ").click()
    expect(clerk.locator("#current-status")).to_have_text("Đang phục vụ")
    clerk.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    clerk.fill("#q", "khai sinh")
    clerk.get_by_role("link", name=re.compile("Đăng ký khai sinh")).click()
    for requirement in procedure.requirements.all():
        clerk.check(f"input[name=provided_{requirement.pk}]")
    clerk.fill("#id_applicant_name", "Trần Thị Bình")
    clerk.fill("#id_applicant_id_number", "001190012345")
    clerk.fill("#id_applicant_phone", "0912345678")
    clerk.fill("#id_applicant_address", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội")
    clerk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    clerk.wait_for_url(re.compile(r"/dossiers/"))
    expect(clerk.locator(".messages")).to_contain_text("Số thứ tự A-001 đã gắn với hồ sơ")
    ticket = Ticket.objects.select_related("dossier").get()
    assert ticket.dossier is not None and ticket.dossier.code in clerk.url

    # Back at the counter the ticket names the dossier; the clerk finishes.
    clerk.goto(f"{base}/desk/quay/{queue.one.pk}/")
    expect(clerk.locator("#linked-dossier")).to_have_text(ticket.dossier.code)
    clerk.get_by_role("button", name="Kết thúc").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã phục vụ xong số A-001")
    expect(display.locator(".board-called")).to_contain_text("Chưa gọi số nào")

    # The supervisor's report counts it served at counter 1.
    supervisor = login(browser, base, "supervisor")
    supervisor.goto(f"{base}/dashboard/so-thu-tu/")
    row = supervisor.locator("#t-counter tbody tr").first
    expect(row).to_contain_text("Quầy 1")
    cells = row.locator("td")
    expect(cells.nth(3)).to_have_text("1")  # called
    expect(cells.nth(4)).to_have_text("1")  # served
    expect(cells.nth(5)).to_have_text("0")  # no-show
