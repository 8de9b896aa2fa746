"""The leader sees what they sign, through the browser: the handler drafts a decision, the leader opens the
preview PDF and sends it back with a note, the handler corrects it, the leader approves and the signed
result is the corrected version with the leader's name, office and agency."""

from __future__ import annotations

import os
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from accounts.models import Membership, Role
from dossiers.documents.issuing import issue_result_document, result_document
from dossiers.documents.signing import verify_pdf
from dossiers.lifecycle.services import perform
from dossiers.models import Dossier, Status
from procedures.models import ResultKind
from tests import factories
from tests.conftest_worker import _session_pki, media_root  # noqa: F401
from tests.dossiers.lifecycle import intake
from tests.dossiers.test_forms_pdf import pdf_text

from .test_counter_flow import act, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-123"
TITLE = "Phó Chủ tịch Ủy ban nhân dân"
FIRST = "Điều 1. Trợ cấp xã hội hàng tháng cho bà Trần Thị Bình, mức 360.000 đồng."
SECOND = "Điều 1. Trợ cấp xã hội hàng tháng cho bà Trần Thị Bình, mức 540.000 đồng."
NOTE = "Mức trợ cấp phải là 540.000 đồng theo hệ số 1,5."


@pytest.fixture
def office(flushable_event_log, settings, _session_pki, media_root):  # noqa: F811
    province = factories.agency(name="Tỉnh Thử", code="000.00.00.T01")
    ward = factories.agency(parent=province, name="Phường Thử Nhất")
    settings.SIGNING_DIR, settings.SIGNING_TRUST_ROOTS = _session_pki, []
    call_command("create_dev_ca", ward.code, province.code, stdout=open(os.devnull, "w"))
    procedure = factories.procedure(
        name="Trợ cấp xã hội hàng tháng",
        result_kind=ResultKind.DECISION,
        result_type="Quyết định trợ cấp xã hội hàng tháng",
    )
    staff = {
        role: factories.user(role=role, agency=ward, username=role, password=PASSWORD, full_name=name)
        for role, name in [
            (Role.CLERK, "Lê Thu Hà"),
            (Role.HANDLER, "Phạm Văn Minh"),
            (Role.LEADER, "Ngô Quang Huy"),
        ]
    }
    Membership.objects.filter(user=staff[Role.LEADER]).update(title=TITLE)
    d = intake(staff[Role.CLERK], ward, procedure)
    perform(d.code, "forward", staff[Role.CLERK], {})
    return ward, d.code


def draft(page, articles: str, version: int) -> None:
    page.fill("#draft-form textarea[name=articles]", articles)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Lưu dự thảo kết quả")
    expect(page.locator("#draft-version")).to_contain_text(f"Phiên bản {version}")


def preview_text(page) -> str:
    """Open the preview link as the signed-in leader and read the PDF it serves."""
    href = page.locator("#preview-draft").get_attribute("href")
    response = page.request.get(page.url.split("/dossiers/")[0] + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body())


def off_the_browser_thread(work, *args):
    """Run `work` (issuing or checking a signed result) on a thread of its own: pyHanko signs and validates
    inside asyncio.run, which cannot start where Playwright's event loop already runs."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return work(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=60)


def test_draft_preview_send_back_correct_approve(live_server, browser: Browser, office):
    ward, code = office
    base = live_server.url

    handler = login(browser, base, "handler")
    handler.goto(f"{base}/dossiers/{code}/")
    draft(handler, FIRST, 1)
    act(handler, "forward", "Chuyển xử lý")

    leader = login(browser, base, "leader")
    leader.goto(f"{base}/dossiers/{code}/")
    expect(leader.get_by_role("link", name="Xem trước")).to_be_visible()
    expect(leader.locator("#action-send_back summary")).to_have_text("Trả lại chuyên viên")
    expect(leader.locator("#action-resolve summary")).to_have_text("Phê duyệt và ký")
    expect(leader.locator("#action-forward")).to_have_count(0)
    shown = preview_text(leader)
    assert FIRST in shown and "BẢN XEM TRƯỚC" in shown and "Ngô Quang Huy" in shown

    leader.click("#action-send_back summary")
    leader.fill("#action-send_back textarea[name=note]", NOTE)
    leader.locator("#action-send_back button[type=submit]").click()
    expect(leader.locator(".messages")).to_contain_text("Trả lại chuyên viên")

    handler.goto(f"{base}/dossiers/{code}/")
    expect(handler.locator("#sent-back-note")).to_contain_text(NOTE)
    expect(handler.locator("#draft-form textarea[name=articles]")).to_have_value(FIRST)
    draft(handler, SECOND, 2)
    expect(handler.locator("#sent-back-note")).to_have_count(0)
    act(handler, "forward", "Chuyển xử lý")

    leader.goto(f"{base}/dossiers/{code}/")
    expect(leader.locator("#preview-draft")).to_have_attribute("href", re.compile(r"version=2$"))
    shown = preview_text(leader)
    assert SECOND in shown and FIRST not in shown
    leader.click("#action-resolve summary")
    leader.check("#action-resolve input[value=approved]")
    leader.locator("#action-resolve button[type=submit]").click()
    expect(leader.locator(".messages")).to_contain_text("Phê duyệt và ký")
    expect(leader.locator("#status")).to_have_text("Đã xử lý xong")

    d = Dossier.objects.get(code=code)
    assert d.status == Status.RESOLVED
    off_the_browser_thread(issue_result_document, d.pk)  # what the result task runs
    doc = result_document(d)
    signed = doc.file.open("rb").read()
    assert off_the_browser_thread(verify_pdf, signed).valid
    issued = pdf_text(signed)
    for printed in (SECOND, "Ngô Quang Huy", TITLE.upper(), ward.name):
        assert printed in issued
    leader.goto(f"{base}/dossiers/{code}/")
    download = leader.request.get(f"{base}/dossiers/{code}/result.pdf")
    assert download.ok and download.body() == signed
