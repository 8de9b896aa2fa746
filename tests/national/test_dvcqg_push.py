"""Every dossier and progress step reaches the simulated National Public Service Portal through the outbox."""

from __future__ import annotations

import pytest

from dossiers.lifecycle.services import perform, submit_online
from dossiers.models import Dossier, OutboxMessage, Status
from dossiers.national import outbound
from tests import factories
from tests.dossiers.lifecycle import APPLICANT, intake
from tests.national.conftest import drain_until_settled, received, refused

pytestmark = pytest.mark.django_db


def held(portal) -> dict:
    return portal.simulator.dossiers


def test_counter_intake_queues_the_upsert_and_its_first_step_in_its_own_transaction(
    portal, emc, clerk, ward, birth_registration
):
    d = intake(clerk, ward, birth_registration)
    rows = list(OutboxMessage.objects.filter(dossier=d, channel__in=["dvcqg", "emc"]).order_by("id"))
    assert [(m.channel, m.payload["kind"]) for m in rows] == [
        ("dvcqg", "upsert"),
        ("dvcqg", "progress"),
        ("emc", "status"),
    ]
    assert received(portal) == []  # nothing is sent in the request
    drain_until_settled()
    record = held(portal)[d.code]
    assert record["TrangThaiHoSo"] == "2" and record["KenhThucHien"] == "1"
    assert record["ChuHoSo"] == APPLICANT["name"] and record["SoGiayToChuHoSo"] == APPLICANT["id_number"]
    assert len(record["NgayTiepNhan"]) == 14 and record["NgayTiepNhan"][:8] == d.received_at.astimezone(
        outbound_tz()
    ).strftime("%Y%m%d")
    assert [h["NoiDungXuLy"] for h in record["QuaTrinhXuLyHoSo"]] == ["Tiếp nhận hồ sơ"]
    assert record["QuaTrinhXuLyHoSo"][0]["ChucDanh"] == "Công chức một cửa"
    assert emc.simulator.reports[0]["TrangThai"] == 1 and refused(portal) == refused(emc) == []


def outbound_tz():
    from dossiers.national.dvcqg_payload import PORTAL_TZ

    return PORTAL_TZ


def test_each_progress_step_follows_and_the_portal_holds_the_latest_status(
    portal, clerk, handler, leader, ward, birth_registration
):
    d = intake(clerk, ward, birth_registration)
    perform(d, "forward", clerk, {"to_user": handler.pk})
    perform(d, "forward", handler, {"to_user": leader.pk})
    factories.result_draft(d, handler)  # the leader approves the handler's draft
    perform(d, "resolve", leader, {"outcome": "approved", "draft_version": 1})
    drain_until_settled()
    record = held(portal)[d.code]
    assert record["TrangThaiHoSo"] == "9" and len(record["NgayKetThucXuLy"]) == 14
    assert [h["NoiDungXuLy"] for h in record["QuaTrinhXuLyHoSo"]] == [
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
        "Chuyển xử lý",
        "Đã xử lý xong: Chấp thuận",
    ]
    assert refused(portal) == []


def test_an_online_dossier_carries_the_vneid_flag_and_is_new_on_the_portal(portal, ward, birth_registration):
    citizen = factories.citizen(national_id="001190012345")
    d = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    assert d.vneid_verified
    drain_until_settled()
    record = held(portal)[d.code]
    assert (record["TrangThaiHoSo"], record["KenhThucHien"], record["TaiKhoanDuocXacThucVoiVNeID"]) == (
        "1",
        "2",
        1,
    )
    assert record["NgayHenTra"] == "" and record["QuaTrinhXuLyHoSo"][0]["ChucDanh"] == "Công dân"


def test_a_password_account_with_an_id_typed_in_is_not_vneid_verified(ward, birth_registration):
    typed = factories.user(national_id="001190012345")  # not made by a VNeID sign-in
    d = submit_online(
        applicant_user=typed,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    assert not d.vneid_verified


def test_a_staff_account_filing_online_is_not_vneid_verified(ward, birth_registration, clerk):
    clerk.national_id = "001190012345"
    clerk.save()
    d = submit_online(
        applicant_user=clerk,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    assert not d.vneid_verified


def test_with_the_push_switched_off_nothing_is_queued(settings, clerk, ward, birth_registration):
    settings.DVCQG_PUSH = settings.EMC_PUSH = False
    d = intake(clerk, ward, birth_registration)
    assert not OutboxMessage.objects.filter(dossier=d, channel__in=["dvcqg", "emc"]).exists()
    assert outbound.messages_for(d.events.get()) == []


def test_a_later_message_waits_while_an_earlier_one_of_its_dossier_is_pending(
    portal, clerk, handler, ward, birth_registration
):
    d = intake(clerk, ward, birth_registration)
    perform(d, "forward", clerk, {"to_user": handler.pk})
    upsert = OutboxMessage.objects.get(dossier=d, channel="dvcqg", payload__kind="upsert")
    later = outbound_future()
    OutboxMessage.objects.filter(pk=upsert.pk).update(next_attempt_at=later)  # as if it failed and waits
    from dossiers.notify import outbox

    outcome = outbox.drain()
    assert outcome.get("deferred") == 2
    assert not OutboxMessage.objects.filter(dossier=d, channel="dvcqg", status="sent").exists()
    progress = OutboxMessage.objects.filter(dossier=d, channel="dvcqg", payload__kind="progress")
    assert {(m.status, m.attempts) for m in progress} == {("pending", 0)}  # waiting is not a failure
    assert d.code not in held(portal) and received(portal) == []
    OutboxMessage.objects.filter(pk=upsert.pk).update(next_attempt_at=outbox.timezone.now())
    drain_until_settled()
    assert [r["path"].rsplit("/", 1)[1] for r in received(portal)] == [
        "DongBoHoSoMC",
        "CapNhatTienDoHoSoMC",
        "CapNhatTienDoHoSoMC",
    ]
    assert held(portal)[d.code]["TrangThaiHoSo"] == "4"


def outbound_future():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(hours=1)


def test_a_dossier_refused_at_intake_is_final_on_the_portal(portal, ward, birth_registration, clerk):
    citizen = factories.citizen(national_id="001190012345")
    d = submit_online(
        applicant_user=citizen,
        agency=ward,
        procedure=birth_registration,
        applicant=APPLICANT,
        provided_requirement_ids=[r.pk for r in birth_registration.requirements.all()],
    )
    perform(d, "refuse_intake", clerk, {"reason": "Không thuộc thẩm quyền"})
    drain_until_settled()
    record = held(portal)[d.code]
    assert record["TrangThaiHoSo"] == "3"
    assert record["QuaTrinhXuLyHoSo"][-1]["NoiDungXuLy"] == "Từ chối tiếp nhận hồ sơ: Không thuộc thẩm quyền"
    assert Dossier.objects.get(pk=d.pk).status == Status.REFUSED
