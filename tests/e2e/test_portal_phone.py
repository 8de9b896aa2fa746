"""The citizen's online channel on a phone (390x844): file a dossier with uploads, the clerk receives it in
"Chờ tiếp nhận", the citizen answers a supplement request, the dossier is resolved and the citizen downloads
the signed result. The citizen is signed in by a session cookie (the national sign-in is tested on its
own)."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Browser, Page, expect

from accounts.models import Role
from dossiers.documents.issuing import issue_result_document
from dossiers.documents.signing import verify_pdf
from dossiers.lifecycle import services
from dossiers.models import Dossier, Status
from procedures.models import Procedure
from tests import factories
from tests.conftest_worker import _session_pki, media_root, pki  # noqa: F401
from tests.pdfs import blank_pdf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def office(flushable_event_log, ward, pki, media_root):  # noqa: F811 (the imported fixtures)
    procedure = factories.procedure(
        code="1.001193", name="Đăng ký khai sinh", days=3, online_level=Procedure.OnlineLevel.FULL
    )
    staff = {
        role: factories.user(role=role, agency=ward, username=role, password=PASSWORD)
        for role in (Role.CLERK, Role.HANDLER, Role.LEADER)
    }
    citizen = factories.citizen(
        national_id="001190012345", full_name="Trần Thị Bình", email="binh@example.vn"
    )
    return ward, procedure, staff, citizen


def signed_in_phone(browser: Browser, base: str, user) -> Page:
    """A phone-sized browser whose session cookie belongs to `user` (as after the national sign-in)."""
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    context = browser.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def clerk_login(browser: Browser, base: str) -> Page:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/"))
    return page


def test_a_citizen_files_supplements_and_downloads_the_result_from_a_phone(
    live_server, browser: Browser, office, tmp_path
):
    ward, procedure, staff, citizen = office
    base = live_server.url
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(blank_pdf())

    # The citizen finds the procedure without typing diacritics and starts a draft at their ward.
    phone = signed_in_phone(browser, base, citizen)
    phone.goto(f"{base}/cong-dan/thu-tuc/")
    phone.fill("#q", "dang ky khai sinh")
    phone.get_by_role("button", name="Tìm").click()
    phone.get_by_role("link", name="Đăng ký khai sinh").click()
    expect(phone.locator("main")).to_contain_text("Toàn trình")
    phone.select_option("#province", str(ward.parent_id))
    phone.get_by_role("button", name="Chọn").click()
    phone.select_option("#agency", str(ward.pk))
    phone.get_by_role("button", name="Bắt đầu nộp hồ sơ").click()
    expect(phone.locator("main")).to_contain_text("001190012345")  # prefilled from the account

    # Each component is uploaded into the draft, which the server keeps; then the dossier is submitted.
    for requirement in procedure.requirements.all():
        item = phone.locator(f"#req-{requirement.pk}")
        item.locator("input[type=file]").set_input_files(str(scan))
        item.get_by_role("button", name="Tải lên").click()
        expect(phone.locator(".msgs")).to_contain_text("Đã tải lên tệp")
    phone.fill("#applicant_address", "12 Hàng Bạc, Hoàn Kiếm, Hà Nội")
    phone.get_by_role("button", name="Nộp hồ sơ").click()
    expect(phone.locator("#status")).to_contain_text("Mới đăng ký")
    dossier = Dossier.objects.get(applicant_user=citizen)
    expect(phone.locator("#code")).to_have_text(dossier.code)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone

    # The clerk sees it waiting with its files and receives it from the row.
    clerk = clerk_login(browser, base)
    clerk.goto(f"{base}/desk/q/to_receive/")
    row = clerk.locator("tr", has_text=dossier.code)
    expect(row.get_by_role("link", name="Tờ khai")).to_have_attribute(
        "href", re.compile(r"/documents/\d+/download")
    )
    row.get_by_role("button", name="Tiếp nhận").click()
    expect(clerk.locator(".messages")).to_contain_text("Tiếp nhận")

    # The clerk asks for a clearer copy of one component; the citizen answers it online.
    requirement = procedure.requirements.first()
    missing = [{"requirement_id": requirement.pk, "name": requirement.name, "reason": "Ảnh mờ"}]
    services.request_supplement(dossier.code, staff[Role.CLERK], {"missing": missing})
    phone.goto(f"{base}/cong-dan/")
    phone.get_by_role("link", name=re.compile("Cần bổ sung giấy tờ")).click()
    expect(phone.locator("main")).to_contain_text("Ảnh mờ")
    phone.locator(f"#file_{requirement.pk}").set_input_files(str(scan))
    phone.get_by_role("button", name="Gửi bổ sung").click()
    expect(phone.locator(".msgs")).to_contain_text("Đã gửi giấy tờ bổ sung")
    assert Dossier.objects.get(pk=dossier.pk).status in (Status.RECEIVED, Status.PROCESSING)

    # Handled and approved; the worker signs the result, which returns this full-online dossier.
    services.forward(dossier.code, staff[Role.CLERK])
    services.forward(dossier.code, staff[Role.HANDLER])
    factories.result_draft(dossier, staff[Role.HANDLER])  # the leader approves the handler's draft
    services.resolve(dossier.code, staff[Role.LEADER], {"outcome": "approved", "draft_version": 1})
    with ThreadPoolExecutor(1) as worker:  # signing runs its own event loop, which Playwright's thread has
        worker.submit(issue_result_document, dossier.pk).result()

    phone.goto(f"{base}/cong-dan/ho-so/{dossier.code}/")
    expect(phone.locator("#status")).to_contain_text("Đã trả kết quả")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải kết quả đã ký số").click()
    with open(download.value.path(), "rb") as handle:
        signed = handle.read()
    with ThreadPoolExecutor(1) as checker:
        assert signed.startswith(b"%PDF") and checker.submit(verify_pdf, signed).result().valid
