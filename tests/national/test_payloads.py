"""We never send the portal or EMC a payload they refuse: varied real dossiers, every path, zero 400s."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from dossiers.lifecycle.services import perform, submit_online
from dossiers.models import Dossier
from dossiers.national.dvcqg_payload import LIMITS, clip, portal_date
from tests import factories
from tests.dossiers.lifecycle import APPLICANT, MONDAY_9AM, intake
from tests.national.conftest import drain_until_settled, received, refused

pytestmark = pytest.mark.django_db

LONG_NAME = ("Tôn Nữ Thị Hoàng Phương Quỳnh Như Nguyệt Ánh " * 8)[:255]
LONG_SUBJECT = "Đề nghị đăng ký khai sinh, cấp bản sao trích lục và xác nhận thông tin cư trú cho con. " * 70
LONG_ADDRESS = ("Số 1 ngõ 2 ngách 3 phố Hàng Bạc, phường Hoàn Kiếm, thành phố Hà Nội, " * 10)[:500]


def MAX(words: str) -> str:  # noqa: N802 - the longest text an action accepts (workflow.MAX_LENGTH)
    return (words * 2000)[:2000].strip()


APPLICANTS = [
    APPLICANT,
    {**APPLICANT, "name": LONG_NAME, "address": LONG_ADDRESS},
    {**APPLICANT, "phone": "", "email": ""},
    {**APPLICANT, "name": "Ông A", "email": "a" * 60 + "@" + "b" * 60 + ".vn"},
    {**APPLICANT, "name": "Lò Văn Dủng 'Bé' \"Tí\" <&>", "address": "Bản Nà Tấu\tĐiện Biên"},
]


def _paths(clerk, handler, leader, ward, procedure):
    """Every path through the workflow, one dossier each, with long Vietnamese text where text goes."""
    first = procedure.requirements.order_by("order").first()
    for i, applicant in enumerate(APPLICANTS):
        yield intake(clerk, ward, procedure, applicant=applicant, subject=LONG_SUBJECT if i % 2 else "")
    d = intake(clerk, ward, procedure)
    perform(d, "forward", clerk, {"to_user": handler.pk, "note": MAX("Ghi chú ")})
    perform(
        d,
        "request_supplement",
        handler,
        {"missing": [{"requirement_id": first.pk, "reason": ("Thiếu " * 100)[:500]}]},
    )
    perform(d, "supplement", clerk, {"provided_requirement_ids": [first.pk]})
    perform(d, "request_payment", handler, {"amount": 50000})
    perform(d, "confirm_payment", clerk, {"online": True})
    new_due = (MONDAY_9AM + timedelta(days=10)).date()
    perform(
        d,
        "apologize",
        handler,
        {"reason": MAX("Cần xác minh với cơ quan khác. "), "new_due_date": str(new_due)},
    )
    perform(d, "forward", handler, {"to_user": leader.pk})
    perform(d, "resolve", leader, {"outcome": "denied", "reason": MAX("Không đủ điều kiện ")})
    perform(d, "return_result", clerk, {"method": "in_person"})
    yield d
    for action, data, who in [
        ("withdraw", {"reason": "Tôi rút hồ sơ"}, clerk),
        ("stop", {"reason": MAX("Dừng "), "legal_ground": MAX("Điều 1 ")}, handler),
    ]:
        d = intake(clerk, ward, procedure)
        perform(d, "forward", clerk, {"to_user": handler.pk})
        perform(d, action, who, data)
        yield d
    citizen = factories.user(national_id="001190012345", full_name=LONG_NAME)
    d = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=procedure,
        applicant={**APPLICANT, "name": LONG_NAME},
        provided_requirement_ids=[r.pk for r in procedure.requirements.all()],
        subject=LONG_SUBJECT,
    )
    perform(d, "refuse_intake", clerk, {"reason": MAX("Từ chối ")})
    yield d


def test_a_varied_set_of_dossiers_reaches_the_portal_and_emc_without_one_refusal(
    portal, emc, clerk, handler, leader, ward
):
    procedure = factories.procedure(
        code="1.001193", name=("Đăng ký khai sinh có yếu tố nước ngoài " * 30)[:500]
    )
    with time_machine.travel(MONDAY_9AM, tick=True):
        dossiers = list(_paths(clerk, handler, leader, ward, procedure))
        outcome = drain_until_settled()
    assert outcome.get("retry", 0) == outcome.get("dead", 0) == 0
    assert refused(portal) == [] and refused(emc) == []
    held = portal.simulator.dossiers
    assert sorted(held) == sorted(d.code for d in dossiers)
    for d in [Dossier.objects.get(pk=d.pk) for d in dossiers]:
        record = held[d.code]
        assert record["TrangThaiHoSo"] == str(d.national_status_code)
        assert record["NgayHenTra"] == portal_date(d.due_at)
        assert len(record["TrichYeuHoSo"]) <= LIMITS["TrichYeuHoSo"]
    assert len(received(emc)) == len(emc.simulator.reports)


def test_clip_keeps_vietnamese_text_whole_characters_within_the_limit():
    text = clip("TrichYeuHoSo", "Ưu tiên giải quyết hồ sơ " * 100)
    assert len(text) <= 1000 and text == text.strip() and "  " not in text


def test_the_simulator_refuses_a_malformed_upsert_naming_each_fault(portal):
    import requests

    body = {
        "service": "DongBoHoSoMC",
        "isUpdating": True,
        "data": [{"MaHoSo": "x" * 51, "TrangThaiHoSo": "11", "NgayTiepNhan": "2026-12-01", "Bogus": 1}],
    }
    answer = requests.post(
        f"{portal.url}/api/hoso/DongBoHoSoMC",
        json=body,
        headers={"Authorization": "Bearer dvcqg-dev-token"},
        timeout=5,
    )
    faults = answer.json()["faults"]
    assert answer.status_code == 400
    assert "data[0].MaHoSo: longer than 50" in faults and "data[0].Bogus: unknown field" in faults
    assert any(f.startswith("data[0].NgayTiepNhan: does not match") for f in faults)
    assert any(f.startswith("data[0].TrangThaiHoSo: not one of") for f in faults)
    assert "data[0].ChuHoSo: required" in faults
