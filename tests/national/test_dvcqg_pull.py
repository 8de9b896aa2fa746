"""Dossiers filed on the national portal join the clerk's "Chờ tiếp nhận" queue, once each, whole or not."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dossiers.models import Document, Dossier, Status
from dossiers.national.dvcqg_pull import pull
from tests.national.conftest import drain_until_settled, refused

pytestmark = pytest.mark.django_db


def record(ward, code="QG-261201-000001", **kw) -> dict:
    base = {
        "MaHoSo": code,
        "MaTTHC": "1.001193",
        "MaDonViTiepNhan": ward.code,
        "ChuHoSo": "Nguyễn Văn An",
        "SoGiayToChuHoSo": "001088012345",
        "SoDienThoaiChuHoSo": "0912000111",
        "DiaChiChuHoSo": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayNopHoSo": "20261201083000",
        "TaiKhoanDuocXacThucVoiVNeID": 1,
        "ThanhPhanHoSo": [
            {"ThuTu": 1, "TenGiayTo": "Tờ khai", "content": None},
            {"ThuTu": 2, "TenGiayTo": "Giấy chứng sinh", "content": None},
        ],
    }
    base.update(kw)
    return base


def test_a_portal_dossier_waits_for_the_clerk_with_its_code_and_components(portal, ward, birth_registration):
    portal.simulator.add_records([record(ward)])
    report = pull()
    assert report.as_dict() == {"created": 1, "already": 0, "skipped": 0}
    d = Dossier.objects.get(national_code="QG-261201-000001")
    assert (d.status, d.channel, d.receiving_agency_id, d.vneid_verified) == (
        Status.SUBMITTED,
        "online",
        ward.pk,
        True,
    )
    assert d.code.startswith(ward.code) and d.submitted_at.strftime("%H%M") == "0130"  # 08:30 in Vietnam
    docs = list(d.documents.filter(kind=Document.Kind.COMPONENT).order_by("requirement__order"))
    assert [doc.requirement.order for doc in docs] == [1, 2]
    assert all(doc.digitised and doc.size > 0 and doc.file.read(5) == b"%PDF-" for doc in docs)
    assert d.is_digitised
    assert d.events.get().payload["source"] == "dvcqg"


def test_a_second_pull_makes_no_second_dossier(portal, ward, birth_registration):
    portal.simulator.add_records([record(ward)])
    pull()
    again = pull()
    assert again.as_dict() == {"created": 0, "already": 1, "skipped": 0}
    assert Dossier.objects.filter(national_code="QG-261201-000001").count() == 1
    assert Document.objects.count() == 2


def test_taking_it_in_sends_it_back_and_the_portal_lists_it_no_more(portal, ward, birth_registration):
    portal.simulator.add_records([record(ward)])
    pull()
    drain_until_settled()
    assert portal.simulator.dossiers["QG-261201-000001"]["TrangThaiHoSo"] == "1"
    assert pull().as_dict() == {"created": 0, "already": 0, "skipped": 0}
    assert refused(portal) == []


@pytest.mark.parametrize(
    "broken",
    [
        {"MaTTHC": "9.999999"},
        {"MaDonViTiepNhan": "000.99.99.H99"},
        {"NgayNopHoSo": "2026-12-01"},
        {"SoGiayToChuHoSo": "12345"},
        {"ChuHoSo": ""},
        {"ThanhPhanHoSo": [{"ThuTu": 1, "TenGiayTo": "Tờ khai", "content": b"MZ not a pdf at all"}]},
        {"ThanhPhanHoSo": [{"ThuTu": 1, "TenGiayTo": "Tờ khai"}]},  # no file
        {"ThanhPhanHoSo": "Tờ khai"},
    ],
)
def test_a_malformed_record_is_skipped_and_nothing_of_it_is_written(portal, ward, birth_registration, broken):
    portal.simulator.add_records([record(ward, code="QG-BAD", **broken), record(ward)])
    report = pull()
    assert list(report.skipped) == ["QG-BAD"] and len(report.created) == 1
    assert not Dossier.objects.filter(national_code="QG-BAD").exists()
    assert Document.objects.count() == 2  # the good record's only


def test_the_command_reports_what_it_did(portal, ward, birth_registration, capsys):
    portal.simulator.add_records([record(ward), record(ward, code="QG-BAD", MaTTHC="")])
    call_command("dvcqg_pull")
    out, err = capsys.readouterr()
    assert "Mới / new: 1" in out and "bỏ qua / skipped: 1" in out and "QG-BAD" in err
