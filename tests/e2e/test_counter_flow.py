"""A dossier from the counter to the returned result, through the browser: clerk, handler, leader, clerk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from dossiers.models import Dossier, Status
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"


@pytest.fixture
def office(flushable_event_log):
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    procedure = factories.procedure(code="1.001193", name="Đăng ký khai sinh", days=3)
    staff = {
        role: factories.user(role=role, agency=ward, username=role, password=PASSWORD, full_name=name)
        for role, name in [
            (Role.CLERK, "Lê Thu Hà"),
            (Role.HANDLER, "Phạm Văn Minh"),
            (Role.LEADER, "Ngô Quang Huy"),
        ]
    }
    return ward, procedure, staff


def login(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    return page


def act(page: Page, action: str, label: str) -> None:
    """Open the action's panel on the dossier page and submit it."""
    page.click(f"#action-{action} summary")
    page.locator(f"#action-{action} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text(label)


def test_counter_to_returned_result(live_server, browser: Browser, office):
    ward, procedure, staff = office
    base = live_server.url

    # The clerk receives the dossier at the counter.
    clerk = login(browser, base, "clerk")
    clerk.goto(f"{base}/desk/intake/")
    clerk.fill("#q", "khai sinh")  # no diacritics needed
    clerk.get_by_role("link", name=re.compile("Đăng ký khai sinh")).click()
    expect(clerk.locator("#appointment")).to_contain_text("Ngày hẹn trả")
    for requirement in procedure.requirements.all():
        clerk.check(f"input[name=provided_{requirement.pk}]")
    clerk.fill("#id_applicant_name", "Trần Thị Bình")
    clerk.fill("#id_applicant_id_number", "001190012345")
    clerk.fill("#id_applicant_phone", "0912345678")
    clerk.fill("#id_applicant_address", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội")
    clerk.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    clerk.wait_for_url(re.compile(r"/dossiers/"))
    expect(clerk.locator(".messages")).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(clerk.locator("#status")).to_have_text("Được tiếp nhận")
    expect(clerk.get_by_role("link", name=re.compile("Mẫu số 01"))).to_have_attribute(
        "href", re.compile(r"/forms/01\.pdf$")
    )
    code = Dossier.objects.get().code
    assert code in clerk.content()

    # The clerk forwards it to the handling official.
    act(clerk, "forward", "Chuyển xử lý")
    expect(clerk.locator("#status")).to_have_text("Đang xử lý")

    # The handler finds it in "assigned to me" and forwards it to the leader.
    handler = login(browser, base, "handler")
    handler.goto(f"{base}/desk/q/mine/")
    handler.get_by_role("link", name=code).click()
    handler.fill("#draft-form textarea[name=particulars]", "Họ, chữ đệm, tên: Trần Thị Bình")
    handler.get_by_role("button", name="Lưu dự thảo").click()
    expect(handler.locator("#draft-version")).to_contain_text("Phiên bản 1")
    act(handler, "forward", "Chuyển xử lý")

    # The leader approves it from "to approve".
    leader = login(browser, base, "leader")
    leader.goto(f"{base}/desk/q/to_approve/")
    leader.get_by_role("link", name=code).click()
    leader.click("#action-resolve summary")
    leader.check("#action-resolve input[value=approved]")
    leader.locator("#action-resolve button[type=submit]").click()
    expect(leader.locator(".messages")).to_contain_text("Phê duyệt và ký")
    expect(leader.locator("#status")).to_have_text("Đã xử lý xong")

    # The clerk returns the result in person.
    clerk.goto(f"{base}/desk/q/to_return/")
    clerk.get_by_role("link", name=code).click()
    clerk.click("#action-return_result summary")
    clerk.check("#action-return_result input[value=in_person]")
    clerk.locator("#action-return_result button[type=submit]").click()
    expect(clerk.locator(".messages")).to_contain_text("Trả kết quả")
    expect(clerk.locator("#status")).to_have_text("Đã trả kết quả")

    assert Dossier.objects.get().status == Status.RETURNED
