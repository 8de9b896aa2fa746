"""Printed forms 01–05: each PDF carries the fields the circular asks for, and a tracking QR where due."""

from __future__ import annotations

import datetime as dt
import unicodedata
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from dossiers.documents.issuing import render_form
from dossiers.lifecycle.events import record_event
from dossiers.models import Status
from tests import factories

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return unicodedata.normalize(
        "NFC", " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    )


def page_size_mm(data: bytes) -> tuple[int, int]:
    box = PdfReader(BytesIO(data)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


def has_qr_image(data: bytes) -> bool:
    return b"/Subtype /Image" in data or b"/Subtype/Image" in data or b"/Type /XObject" in data


@pytest.fixture
def received(ward, clerk, birth_registration):
    with time_machine.travel(NOW, tick=False):
        d = factories.dossier(
            procedure=birth_registration,
            agency=ward,
            status=Status.RECEIVED,
            received_at=NOW,
            due_at=NOW + dt.timedelta(days=3),
            received_by=clerk,
        )
        record_event(d, "receive", actor=clerk, to_status=Status.RECEIVED)
    return d


def test_form_01_receipt_lists_applicant_components_and_appointment(received):
    with time_machine.travel(NOW, tick=False):
        pdf = render_form(received, "01")
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        received.code,
        "Trần Thị Bình",
        "Đăng ký khai sinh",
        "Tờ khai",
        "Giấy chứng sinh",
        "26/11/2026",
        "23/11/2026",
        "ngày 23 tháng 11 năm 2026",
        "PHƯỜNG THỬ NHẤT",
        "Nguyễn Văn",
        "3 ngày làm việc",
    ):
        assert expected in text, expected
    assert page_size_mm(pdf) == (148, 210)  # A5


def test_form_01_carries_a_qr_code_to_the_public_tracking_page(received, settings):
    from dossiers.documents.forms.contexts import form_01

    ctx = form_01(received)
    assert ctx["tracking_url"] == f"{settings.PUBLIC_BASE_URL}/tra-cuu/?code={received.code}"
    assert ctx["qr"].startswith("data:image/png;base64,")
    assert settings.PUBLIC_BASE_URL + "/tra-cuu/?code=" + received.code in pdf_text(
        render_form(received, "01")
    )


def test_form_02_lists_every_missing_component_with_its_reason(received, clerk):
    record_event(
        received,
        "request_supplement",
        actor=clerk,
        note="Bổ sung trong 30 ngày",
        payload={
            "missing": [
                {"name": "Giấy chứng sinh", "reason": "Bản chụp mờ, không đọc được"},
                {"name": "Giấy xác nhận cư trú", "reason": "Chưa nộp"},
            ]
        },
    )
    text = pdf_text(render_form(received, "02"))
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Giấy chứng sinh",
        "Bản chụp mờ, không đọc được",
        "Giấy xác nhận cư trú",
        "Chưa nộp",
        "Trần Thị Bình",
    ):
        assert expected in text, expected


def test_form_03_states_the_refusal_reason(received, clerk):
    record_event(
        received,
        "refuse_intake",
        actor=clerk,
        to_status=Status.REFUSED,
        payload={"reason": "Thủ tục không thuộc thẩm quyền của phường"},
    )
    text = pdf_text(render_form(received, "03"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Thủ tục không thuộc thẩm quyền của phường" in text


def test_form_04_apologises_with_reason_and_both_appointments(received, leader):
    record_event(
        received,
        "apologize",
        actor=leader,
        payload={
            "reason": "Cần xác minh thông tin tại nơi cư trú cũ",
            "old_due_at": "2026-11-26T17:00:00+07:00",
            "new_due_at": "2026-12-02T17:00:00+07:00",
        },
    )
    text = pdf_text(render_form(received, "04"))
    for expected in (
        "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        "Cần xác minh thông tin tại nơi cư trú cũ",
        "26/11/2026",
        "02/12/2026",
        "Kính gửi: Trần Thị Bình",
    ):
        assert expected in text, expected


def test_form_05_control_sheet_has_a_row_per_handover_and_the_steps(received, clerk, handler):
    record_event(
        received,
        "forward",
        actor=clerk,
        to_status=Status.PROCESSING,
        payload={"to_name": "Chuyên viên tư pháp"},
        note="Đủ hồ sơ",
    )
    text = pdf_text(render_form(received, "05"))
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Chuyên viên tư pháp",
        "Đủ hồ sơ",
        "Thẩm định",
        "Phê duyệt",
        "Trả kết quả",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("number", ["02", "03", "04"])
def test_a_form_whose_event_has_not_happened_is_refused_clearly(received, number):
    from config.errors import Conflict

    with pytest.raises(Conflict) as err:
        render_form(received, number)
    assert "chưa có thông tin" in err.value.vi


def test_decomposed_input_is_printed_in_nfc(received):
    received.applicant_name = unicodedata.normalize("NFD", "Lê Thị Hồng Nhung")
    text = pdf_text(render_form(received, "01"))
    assert "Lê Thị Hồng Nhung" in text


@pytest.mark.parametrize(
    ("when", "unit", "days", "line"),
    [
        ((2026, 3, 2, 9), "working_days", 3, "Thời gian giải quyết được tính từ ngày 02/03/2026"),
        ((2026, 3, 2, 18), "working_days", 3, "Thời gian giải quyết được tính từ ngày 02/03/2026"),
        (
            (2026, 3, 2, 16),
            "same_day",
            0,
            "Thời gian giải quyết được tính từ ngày 03/03/2026 (Tiếp nhận sau 15:00: tính từ ngày làm việc "
            "tiếp theo.)",
        ),
        (
            (2026, 3, 7, 9),
            "working_days",
            3,
            "Thời gian giải quyết được tính từ ngày 09/03/2026 (Tiếp nhận vào ngày nghỉ: tính từ ngày làm "
            "việc tiếp theo.)",
        ),
    ],
)
def test_form_01_states_from_when_the_time_is_counted(ward, clerk, when, unit, days, line):
    from dossiers.lifecycle.intake import receive_at_counter
    from tests.dossiers.lifecycle import APPLICANT, vn

    procedure = factories.procedure(days=days, unit=unit)
    with time_machine.travel(vn(*when, 0), tick=False):
        d = receive_at_counter(
            actor=clerk,
            agency=ward,
            procedure=procedure,
            applicant=APPLICANT,
            provided_requirement_ids=[r.pk for r in procedure.requirements.all()],
        )
        text = " ".join(pdf_text(render_form(d, "01")).split())
    assert line in text


def test_form_01_of_a_dossier_incomplete_at_intake_counts_from_completion(ward, clerk, birth_registration):
    from dossiers.lifecycle.intake import receive_at_counter
    from tests.dossiers.lifecycle import APPLICANT, MONDAY_9AM

    first, second = birth_registration.requirements.order_by("order")
    with time_machine.travel(MONDAY_9AM, tick=False):
        d = receive_at_counter(
            actor=clerk,
            agency=ward,
            procedure=birth_registration,
            applicant=APPLICANT,
            provided_requirement_ids=[first.pk],
            missing=[{"requirement_id": second.pk, "reason": "Thiếu"}],
        )
        text = " ".join(pdf_text(render_form(d, "01")).split())
    assert "Thời gian giải quyết được tính từ ngày hồ sơ đầy đủ" in text
