"""Filing online in the citizen portal: a server-side draft, checked uploads or reused digitised documents,
submission with the national code and status 1, and the receipt by e-mail/SMS and in the inbox."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.errors import InvalidInput, NotFound
from dossiers.lifecycle import portal
from dossiers.models import Channel, Document, Dossier, Notification, OnlineDraft, OutboxMessage, Status
from procedures.models import Procedure
from tests import factories
from tests.dossiers.portal_helpers import file_online, pdf_upload

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def online_procedure(db):
    return factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)


@pytest.fixture
def citizen(db):
    return factories.citizen(national_id="001190012345", full_name="Trần Thị Bình", email="binh@example.vn")


def test_a_draft_is_prefilled_from_the_account(citizen, ward, online_procedure):
    draft = portal.start_draft(citizen, online_procedure, ward)
    assert (
        draft.applicant_name,
        draft.applicant_id_number,
        draft.applicant_phone,
        draft.applicant_email,
    ) == (
        "Trần Thị Bình",
        "001190012345",
        "0912345678",
        "binh@example.vn",
    )


def test_the_verified_identity_cannot_be_changed_in_the_draft(citizen, ward, online_procedure):
    draft = portal.start_draft(citizen, online_procedure, ward)
    portal.save_draft(citizen, draft, {"applicant_name": "Người Khác", "applicant_id_number": "002200000000"})
    draft.refresh_from_db()
    assert (draft.applicant_name, draft.applicant_id_number) == ("Trần Thị Bình", "001190012345")


def test_the_draft_is_kept_on_the_server_for_another_device(client, citizen, ward, online_procedure):
    draft = portal.start_draft(citizen, online_procedure, ward)
    portal.save_draft(citizen, draft, {"applicant_address": "5 Lý Thái Tổ"})
    portal.attach_to_draft(citizen, draft, online_procedure.requirements.first().pk, pdf_upload())
    client.force_login(citizen)  # a second session: another phone
    page = client.get(f"/cong-dan/nhap/{draft.pk}/").content.decode()
    assert "5 Lý Thái Tổ" in page and "Đã tải lên" in page


def test_submitting_codes_the_dossier_and_attaches_the_components(citizen, ward, online_procedure):
    dossier = file_online(citizen, ward, online_procedure)
    assert dossier.status == Status.SUBMITTED and dossier.national_status_code == 1
    assert dossier.channel == Channel.ONLINE and dossier.applicant_user == citizen
    assert re.fullmatch(rf"{re.escape(ward.code)}-\d{{6}}-\d{{4}}", dossier.code)
    components = Document.objects.filter(dossier=dossier, kind=Document.Kind.COMPONENT)
    assert sorted(components.values_list("requirement_id", flat=True)) == sorted(
        online_procedure.requirements.values_list("pk", flat=True)
    )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.is_digitised and not OnlineDraft.objects.exists()


def test_the_receipt_goes_by_email_sms_and_inbox(citizen, ward, online_procedure):
    dossier = file_online(citizen, ward, online_procedure)
    sent = OutboxMessage.objects.filter(dossier_id=dossier.pk, payload__kind="submitted")
    assert sorted(sent.values_list("channel", "recipient")) == [
        ("email", "binh@example.vn"),
        ("sms", "0912345678"),
    ]
    assert dossier.code in sent.get(channel="email").body
    assert Notification.objects.filter(user=citizen, dossier=dossier, kind="submitted").count() == 1


def test_a_missing_required_component_refuses_the_submission_and_keeps_the_draft(
    citizen, ward, online_procedure
):
    draft = portal.start_draft(citizen, online_procedure, ward)
    with pytest.raises(InvalidInput) as refused:
        portal.submit_draft(citizen, draft)
    assert refused.value.code == "components_missing"
    assert OnlineDraft.objects.filter(pk=draft.pk).exists()


def test_uploads_pass_the_upload_checks(citizen, ward, online_procedure):
    draft = portal.start_draft(citizen, online_procedure, ward)
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as refused:
        portal.attach_to_draft(citizen, draft, online_procedure.requirements.first().pk, fake)
    assert refused.value.code == "file_type"
    assert not draft.components.exists()


def test_a_digitised_document_of_an_earlier_dossier_is_reused(citizen, ward, online_procedure):
    earlier = file_online(citizen, ward, online_procedure)
    source = Document.objects.filter(dossier=earlier, kind=Document.Kind.COMPONENT).first()
    draft = portal.start_draft(citizen, online_procedure, ward)
    assert source in portal.draft_reusable(citizen, draft)
    for requirement in online_procedure.requirements.all():
        portal.reuse_in_draft(citizen, draft, requirement.pk, source.pk)
    dossier = portal.submit_draft(citizen, draft)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.reuses_data and dossier.is_digitised
    assert Document.objects.filter(dossier=dossier, reused_from=source).count() == 2


def test_another_citizens_document_cannot_be_reused(citizen, ward, online_procedure):
    # the same ID typed on a password account of someone else
    other = factories.citizen(national_id="001190012345", is_citizen=False)
    theirs = file_online(other, ward, online_procedure)
    source = Document.objects.filter(dossier=theirs).first()
    draft = portal.start_draft(citizen, online_procedure, ward)
    with pytest.raises(InvalidInput):
        portal.reuse_in_draft(citizen, draft, online_procedure.requirements.first().pk, source.pk)


def test_another_citizens_draft_is_not_found(citizen, ward, online_procedure):
    other = factories.citizen()
    draft = portal.start_draft(other, online_procedure, ward)
    for attempt in (
        lambda: portal.save_draft(citizen, draft, {"subject": "x"}),
        lambda: portal.attach_to_draft(
            citizen, draft, online_procedure.requirements.first().pk, pdf_upload()
        ),
        lambda: portal.submit_draft(citizen, draft),
        lambda: portal.delete_draft(citizen, draft),
    ):
        with pytest.raises(NotFound):
            attempt()


def test_a_procedure_not_offered_online_cannot_be_drafted(citizen, ward):
    offline = factories.procedure(online_level=Procedure.OnlineLevel.NONE)
    with pytest.raises(InvalidInput):
        portal.start_draft(citizen, offline, ward)


def test_filing_through_the_pages(client, citizen, ward, online_procedure):
    client.force_login(citizen)
    response = client.post(f"/cong-dan/thu-tuc/{online_procedure.code}/nop/", {"agency": ward.pk})
    draft = OnlineDraft.objects.get(user=citizen)
    assert response["Location"] == f"/cong-dan/nhap/{draft.pk}/"
    for requirement in online_procedure.requirements.all():
        client.post(
            f"/cong-dan/nhap/{draft.pk}/tai-len/", {"requirement": requirement.pk, "file": pdf_upload()}
        )
    response = client.post(
        f"/cong-dan/nhap/{draft.pk}/nop/",
        {"applicant_address": "1 Tràng Tiền", "subject": "Khai sinh cho con"},
    )
    dossier = citizen.filed_dossiers.get()
    assert response.status_code == 302 and response["Location"] == f"/cong-dan/ho-so/{dossier.code}/"
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and dossier.tracking_pin in page and "Mới đăng ký" in page
    assert dossier.applicant_address == "1 Tràng Tiền"
