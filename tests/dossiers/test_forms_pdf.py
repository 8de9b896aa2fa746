"""The seven forms of Circular 03/2025/TT-VPCP: each PDF carries its number, its exact title and the fields
the circular asks for; Mẫu 01–06 are A5, the register Mẫu 07 is A4 landscape."""

from __future__ import annotations

import datetime as dt
import unicodedata
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from accounts.models import Role
from dossiers.documents.issuing import FORM_NAMES, render_form
from dossiers.documents.registers import register_pdf
from dossiers.lifecycle.events import record_event
from dossiers.models import Document, Status
from tests import factories

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
A5 = (148, 210)
A4_LANDSCAPE = (297, 210)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return unicodedata.normalize(
        "NFC", " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    )


def page_size_mm(data: bytes) -> tuple[int, int]:
    box = PdfReader(BytesIO(data)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


def heading(number: str) -> list[str]:
    """The number and the exact title, as printed (titles are set in capitals)."""
    return [f"Mẫu số {number}", FORM_NAMES[number].upper()]


@pytest.fixture
def received(ward, clerk, birth_registration):
    birth_registration.requirements.update(copies=2)
    with time_machine.travel(NOW, tick=False):
        d = factories.dossier(
            procedure=birth_registration,
            agency=ward,
            status=Status.RECEIVED,
            received_at=NOW,
            due_at=NOW + dt.timedelta(days=3),
            received_by=clerk,
            applicant_email="binh@example.vn",
            sets=2,
        )
        record_event(
            d,
            "receive",
            actor=clerk,
            to_status=Status.RECEIVED,
            payload={
                "provided_requirement_ids": [r.pk for r in birth_registration.requirements.all()],
                "to_name": ward.name,
            },
        )
    return d


def test_form_01_receipt_carries_every_field_the_circular_asks_for(received):
    with time_machine.travel(NOW, tick=False):
        pdf = render_form(received, "01")
    text = pdf_text(pdf)
    for expected in (
        *heading("01"),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        received.code,
        "PHƯỜNG THỬ NHẤT",
        "Trần Thị Bình",
        "001190012345",
        "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
        "0912345678",
        "binh@example.vn",
        "Đăng ký khai sinh",
        "Tờ khai",
        "Giấy chứng sinh",
        "Bản chính",
        "Bản sao chứng thực",
        "Bản chụp",
        "Số lượng hồ sơ: 2 (bộ)",
        "3 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 23/11/2026",
        "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 26/11/2026",
        "Nhận kết quả tại",
        "ngày 23 tháng 11 năm 2026",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Văn",
    ):
        assert expected in text, expected
    assert page_size_mm(pdf) == A5


def test_form_01_carries_a_qr_code_to_the_public_tracking_page(received, settings):
    from dossiers.documents.forms.contexts import form_01

    ctx = form_01(received)
    assert ctx["tracking_url"] == f"{settings.PUBLIC_BASE_URL}/tra-cuu/?code={received.code}"
    assert ctx["qr"].startswith("data:image/png;base64,")
    assert settings.PUBLIC_BASE_URL + "/tra-cuu/?code=" + received.code in pdf_text(
        render_form(received, "01")
    )


def test_form_01_lists_only_the_components_actually_received(ward, clerk):
    procedure = factories.procedure(
        requirements=[("Tờ khai", True), ("Giấy chứng sinh", True), ("Giấy xác nhận cư trú", False)]
    )
    form, birth, residence = procedure.requirements.order_by("order")
    form.__class__.objects.filter(pk=form.pk).update(originals=1, copies=0)
    form.__class__.objects.filter(pk=birth.pk).update(originals=0, copies=1)
    d = factories.dossier(procedure=procedure, agency=ward, status=Status.RECEIVED, received_by=clerk)
    record_event(d, "receive", actor=clerk, payload={"provided_requirement_ids": [form.pk]})
    Document.objects.create(dossier=d, kind=Document.Kind.COMPONENT, requirement=birth, name="chung-sinh.pdf")

    from dossiers.documents.forms.contexts import received_components

    assert received_components(d) == [
        {"name": "Tờ khai", "originals": 1, "certified_copies": 0, "photocopies": 0},
        {"name": "Giấy chứng sinh", "originals": 0, "certified_copies": 0, "photocopies": 1},
    ]
    text = pdf_text(render_form(d, "01"))
    assert "Tờ khai" in text and "Giấy chứng sinh" in text
    assert residence.name not in text


def test_form_02_lists_every_missing_component_the_deadline_and_where_to_supply(received, clerk, ward):
    ward.address, ward.phone = "1 Tràng Tiền, Hà Nội", "024 3825 0000"
    ward.save()
    record_event(
        received,
        "request_supplement",
        actor=clerk,
        note="Bổ sung trong 30 ngày",
        payload={
            "missing": [
                {"name": "Giấy chứng sinh", "reason": "Bản chụp mờ, không đọc được"},
                {"name": "Giấy xác nhận cư trú", "reason": "Chưa nộp"},
            ],
            "supplement_due_at": "2026-12-23T17:00:00+07:00",
        },
    )
    pdf = render_form(received, "02")
    text = pdf_text(pdf)
    for expected in (
        *heading("02"),
        "Trần Thị Bình",
        "Đăng ký khai sinh",
        "Giấy chứng sinh",
        "Bản chụp mờ, không đọc được",
        "Giấy xác nhận cư trú",
        "Chưa nộp",
        "Thời hạn bổ sung, hoàn thiện hồ sơ: trước 17 giờ 00 phút, ngày 23/12/2026",
        "Trực tuyến: trên Cổng Dịch vụ công",
        "Trực tiếp: tại Bộ phận Một cửa Phường Thử Nhất, 1 Tràng Tiền, Hà Nội",
        "024 3825 0000",
        "Nguyễn Văn",  # the clerk who wrote it is the contact
    ):
        assert expected in text, expected
    assert page_size_mm(pdf) == A5


def test_form_03_states_the_refusal_reason(received, clerk):
    record_event(
        received,
        "refuse_intake",
        actor=clerk,
        to_status=Status.REFUSED,
        payload={"reason": "Thủ tục không thuộc thẩm quyền của phường"},
    )
    pdf = render_form(received, "03")
    text = pdf_text(pdf)
    for expected in (*heading("03"), "Trần Thị Bình", "Đăng ký khai sinh"):
        assert expected in text, expected
    assert "Thủ tục không thuộc thẩm quyền của phường" in text
    assert page_size_mm(pdf) == A5


@pytest.fixture
def second_leader(ward):
    return factories.user(role=Role.LEADER, agency=ward, username="leader-2", full_name="Phạm Văn Thủ")


def apology(dossier, actor):
    record_event(
        dossier,
        "apologize",
        actor=actor,
        payload={
            "reason": "Cần xác minh thông tin tại nơi cư trú cũ",
            "old_due_at": "2026-11-26T17:00:00+07:00",
            "new_due_at": "2026-12-02T17:00:00+07:00",
        },
    )


def test_form_04_apologises_with_both_appointments_signed_by_a_leader_not_the_handler(
    received, handler, leader, second_leader
):
    apology(received, handler)
    pdf = render_form(received, "04")
    text = pdf_text(pdf)
    for expected in (
        *heading("04"),
        "Kính gửi: Trần Thị Bình",
        received.code,
        "23/11/2026",  # received
        "Cần xác minh thông tin tại nơi cư trú cũ",
        "17:00 ngày 26/11/2026",
        "17:00 ngày 02/12/2026",
        "xin lỗi",
        "THỦ TRƯỞNG CƠ QUAN",
        f"Lãnh đạo {received.competent_agency.name}",
        leader.display_name,  # the agency's first active leader signs
    ):
        assert expected in text, expected
    assert f"Người soạn thảo: {handler.display_name}" in text
    assert page_size_mm(pdf) == A5


def test_form_04_is_signed_by_the_leader_who_made_the_apology(received, leader, second_leader):
    from dossiers.documents.forms.contexts import form_04

    apology(received, second_leader)
    assert form_04(received)["signer_name"] == second_leader.display_name


def test_form_05_notifies_the_stop_with_reason_legal_ground_and_a_leader_signer(received, handler, leader):
    record_event(
        received,
        "stop",
        actor=handler,
        to_status=Status.STOPPED,
        payload={
            "reason": "Người yêu cầu đã chết trước khi có kết quả",
            "legal_ground": "Điều 18 Nghị định số 118/2025/NĐ-CP",
        },
    )
    pdf = render_form(received, "05")
    text = pdf_text(pdf)
    for expected in (
        *heading("05"),
        "Kính gửi: Trần Thị Bình",
        "001190012345",
        received.code,
        "Đăng ký khai sinh",
        "Lý do dừng giải quyết: Người yêu cầu đã chết trước khi có kết quả",
        "Căn cứ pháp lý: Điều 18 Nghị định số 118/2025/NĐ-CP",
        "THỦ TRƯỞNG CƠ QUAN",
        leader.display_name,
    ):
        assert expected in text, expected
    assert page_size_mm(pdf) == A5


def test_form_05_after_an_expired_supplement_names_the_unanswered_request(received, clerk, leader):
    record_event(received, "request_supplement", actor=clerk, payload={"missing": []})
    record_event(
        received, "expire_supplement", to_status=Status.STOPPED, payload={"reason": "Quá hạn bổ sung hồ sơ."}
    )
    text = pdf_text(render_form(received, "05"))
    assert "Quá hạn bổ sung hồ sơ." in text
    assert "Căn cứ pháp lý: Hết thời hạn bổ sung, hoàn thiện hồ sơ" in text and "(Mẫu số 02)" in text


def test_form_06_control_slip_has_the_header_and_a_row_per_handover(received, clerk, handler):
    record_event(
        received,
        "forward",
        actor=clerk,
        to_status=Status.PROCESSING,
        payload={
            "from_unit": "Phường Thử Nhất",
            "from_user_name": clerk.display_name,
            "to_unit": "Phường Thử Nhất",
            "to_user_name": "Chuyên viên tư pháp",
        },
        note="Đủ hồ sơ",
    )
    record_event(received, "document_attached", actor=clerk, payload={})  # not a handover
    pdf = render_form(received, "06")
    text = pdf_text(pdf)
    for expected in (
        *heading("06"),
        received.code,
        "1.001193",
        "Đăng ký khai sinh",
        "3 ngày làm việc",
        "09:30 26/11/2026",  # due date
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Chuyên viên tư pháp",
        "Đủ hồ sơ",
        "Người giao ký",
        "Người nhận ký",
    ):
        assert expected in text, expected
    assert "Đính kèm thành phần hồ sơ" not in text

    from dossiers.documents.forms.contexts import form_06

    assert [r["action"] for r in form_06(received)["rows"]] == ["Tiếp nhận hồ sơ", "Chuyển xử lý"]
    assert page_size_mm(pdf) == A5


def test_form_07_register_is_a4_landscape_with_its_columns(received, ward, clerk):
    with time_machine.travel(NOW, tick=False):
        pdf = register_pdf(ward, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    text = pdf_text(pdf)
    for expected in (
        *heading("07"),
        "TT",
        "Mã hồ sơ",
        "Nội dung yêu cầu giải quyết",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ",
        "Số điện thoại",
        "Ngày nhận hồ sơ",
        "Ngày hẹn trả kết quả",
        "Ngày có kết quả",
        "Người tiếp nhận",
        "Ghi chú",
        received.code,
        "Trần Thị Bình",
        "0912345678",
        "23/11/2026 09:30",
        clerk.display_name,
    ):
        assert expected in text, expected
    assert page_size_mm(pdf) == A4_LANDSCAPE


@pytest.mark.parametrize("number", ["02", "03", "04", "05"])
def test_a_form_whose_event_has_not_happened_is_refused_clearly(received, number):
    from config.errors import Conflict

    with pytest.raises(Conflict) as err:
        render_form(received, number)
    assert "chưa có thông tin" in err.value.vi


def test_the_register_is_not_a_dossier_form(received):
    from config.errors import NotFound

    with pytest.raises(NotFound) as err:
        render_form(received, "07")
    assert "Sổ theo dõi hồ sơ" in err.value.vi


def test_decomposed_input_is_printed_in_nfc(received):
    received.applicant_name = unicodedata.normalize("NFD", "Lê Thị Hồng Nhung")
    text = pdf_text(render_form(received, "01"))
    assert "Lê Thị Hồng Nhung" in text
