"""The leader sees what they sign: the handler drafts the result on its kind's template, the leader previews
the real PDF, sends it back with a note or approves, and the signed result is exactly the approved version,
with the signer's name, office and agency."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage

from accounts.models import Membership, Role
from config.errors import Conflict, Forbidden, InvalidInput, NotFound
from dossiers.documents.issuing import issue_result_document, preview_result_draft
from dossiers.documents.signing import verify_pdf
from dossiers.lifecycle.services import perform
from dossiers.lifecycle.workflow import allowed_actions
from dossiers.models import Dossier, DossierStep, ResultDraft, Status
from procedures.models import ResultKind
from tests import factories
from tests.helpers import client_for

from .lifecycle import intake
from .test_forms_pdf import pdf_text

pytestmark = pytest.mark.django_db

TITLE = "Phó Chủ tịch Ủy ban nhân dân"
CONTENT = {
    ResultKind.DECISION: {
        "grounds": "Căn cứ Nghị định 20/2021/NĐ-CP về chính sách trợ giúp xã hội;",
        "articles": "Điều 1. Trợ cấp xã hội hàng tháng cho bà Trần Thị Bình, mức 500.000 đồng.\n"
        "Điều 2. Quyết định có hiệu lực từ ngày ký.",
    },
    ResultKind.CERTIFICATE: {
        "particulars": "Họ, chữ đệm, tên: Trần Thị Bình\nNgày sinh: 01/02/1990",
        "remarks": "Cấp bản chính lần đầu.",
    },
    ResultKind.ANSWER: {
        "recipient": "Bà Trần Thị Bình",
        "body": "Hồ sơ đăng ký thường trú đã được giải quyết; đề nghị bà đến nhận thẻ.",
    },
}
RESULT_TYPES = {
    ResultKind.DECISION: "Quyết định trợ cấp xã hội hàng tháng",
    ResultKind.CERTIFICATE: "Giấy chứng nhận kết hôn (02 bản chính)",
    ResultKind.ANSWER: "Thông báo kết quả đăng ký thường trú",
}
HEADINGS = {
    ResultKind.DECISION: "QUYẾT ĐỊNH",
    ResultKind.CERTIFICATE: "GIẤY CHỨNG NHẬN KẾT HÔN",
    ResultKind.ANSWER: "VĂN BẢN TRẢ LỜI",
}


@pytest.fixture
def titled_leader(leader, ward):
    Membership.objects.filter(user=leader, agency=ward, role=Role.LEADER).update(title=TITLE)
    return leader


def procedure_of(kind: str):
    return factories.procedure(name="Thủ tục thử", result_kind=kind, result_type=RESULT_TYPES[kind])


def to_handler(clerk, ward, procedure) -> Dossier:
    d = intake(clerk, ward, procedure)
    return perform(d.code, "forward", clerk, {})


def at_approval(clerk, handler, ward, procedure, content: dict) -> Dossier:
    d = to_handler(clerk, ward, procedure)
    perform(d.code, "draft_result", handler, content)
    return perform(d.code, "forward", handler, {})


def lines(content: dict) -> list[str]:
    return [line for text in content.values() for line in text.splitlines()]


def without_marks(text: str) -> str:
    """The printed result less what only a preview or only the signed copy carries."""
    for mark in (
        r"BẢN XEM TRƯỚC – CHƯA KÝ SỐ · Dự thảo phiên bản \d+",
        r"\(Bản xem trước, chưa ký\)",
        r"\(Đã ký số\)",
        r"Quét mã để kiểm tra",
        r"Văn bản điện tử được ký số; kiểm tra tại .*?\(mã kiểm tra \S+\)",
    ):
        text = re.sub(mark, " ", text)
    return " ".join(text.split())


@pytest.mark.parametrize("kind", list(ResultKind))
def test_each_kind_previews_and_issues_the_draft_with_the_signers_name_title_and_agency(
    pki, media_root, ward, clerk, handler, titled_leader, kind
):
    d = at_approval(clerk, handler, ward, procedure_of(kind), CONTENT[kind])

    preview, draft = preview_result_draft(titled_leader, d.code)
    assert preview.startswith(b"%PDF-") and draft.version == 1 and draft.kind == kind
    shown = pdf_text(preview)
    assert HEADINGS[kind] in shown and "BẢN XEM TRƯỚC" in shown
    for line in lines(CONTENT[kind]):
        assert line in shown
    for printed in (titled_leader.display_name, TITLE.upper(), ward.name):
        assert printed in shown

    perform(d.code, "resolve", titled_leader, {"outcome": "approved", "draft_version": 1})
    doc = issue_result_document(d.pk)
    with default_storage.open(doc.file.name, "rb") as fh:
        signed = fh.read()
    assert verify_pdf(signed).valid
    issued = pdf_text(signed)
    assert "BẢN XEM TRƯỚC" not in issued and "(Đã ký số)" in issued
    assert without_marks(issued) == without_marks(shown)  # what the leader saw is what is issued
    assert doc.signature["signed_by"] == f"{titled_leader.display_name}, {TITLE}"


def test_approval_issues_exactly_the_version_previewed(pki, media_root, ward, clerk, handler, titled_leader):
    kind = ResultKind.CERTIFICATE
    d = to_handler(clerk, ward, procedure_of(kind))
    perform(d.code, "draft_result", handler, {"particulars": "Bản một"})
    perform(d.code, "draft_result", handler, {"particulars": "Bản hai"})
    perform(d.code, "forward", handler, {})
    _pdf, previewed = preview_result_draft(titled_leader, d.code, version=1)
    assert previewed.version == 1

    with pytest.raises(Conflict) as err:  # a newer version exists than the one previewed
        perform(d.code, "resolve", titled_leader, {"outcome": "approved", "draft_version": 1})
    assert err.value.code == "draft_changed" and err.value.extra["draft_version"] == 2

    perform(d.code, "resolve", titled_leader, {"outcome": "approved", "draft_version": 2})
    approved = ResultDraft.objects.get(dossier=d, approved_at__isnull=False)
    assert (approved.version, approved.approved_by, approved.signer_title) == (2, titled_leader, TITLE)
    event = d.events.get(action="resolve")
    assert event.payload["draft_version"] == 2 and event.payload["signer_title"] == TITLE
    text = pdf_text(issue_result_document(d.pk).file.open("rb").read())
    assert "Bản hai" in text and "Bản một" not in text


def test_approval_needs_a_draft(ward, clerk, handler, leader):
    d = to_handler(clerk, ward, procedure_of(ResultKind.DECISION))
    perform(d.code, "forward", handler, {})
    with pytest.raises(Conflict) as err:
        perform(d.code, "resolve", leader, {"outcome": "approved", "draft_version": 1})
    assert err.value.code == "no_draft"


def test_a_draft_needs_its_kinds_required_content_and_keeps_each_version(ward, clerk, handler):
    d = to_handler(clerk, ward, procedure_of(ResultKind.DECISION))
    with pytest.raises(InvalidInput) as err:
        perform(d.code, "draft_result", handler, {"grounds": "Căn cứ …", "particulars": "không thuộc mẫu"})
    assert set(err.value.fields) == {"articles"}
    perform(d.code, "draft_result", handler, {"articles": "Điều 1.", "particulars": "không thuộc mẫu"})
    perform(d.code, "draft_result", handler, {"articles": "Điều 1. Sửa."})
    drafts = list(ResultDraft.objects.filter(dossier=d).order_by("version"))
    assert [(x.version, x.author, x.content) for x in drafts] == [
        (1, handler, {"grounds": "", "articles": "Điều 1."}),
        (2, handler, {"grounds": "", "articles": "Điều 1. Sửa."}),
    ]
    events = d.events.filter(action="draft_result").order_by("id")
    assert [e.payload["version"] for e in events] == [1, 2]
    assert all(e.actor == handler and e.to_status == e.from_status == Status.PROCESSING for e in events)


def test_the_leader_sends_the_draft_back_to_its_author_with_a_note(ward, clerk, handler, leader, client):
    other_handler = factories.user(role=Role.HANDLER, agency=ward)
    d = to_handler(clerk, ward, procedure_of(ResultKind.ANSWER))
    perform(d.code, "draft_result", handler, CONTENT[ResultKind.ANSWER])
    perform(d.code, "forward", handler, {})
    with pytest.raises(InvalidInput) as err:
        perform(d.code, "send_back", leader, {"note": "  "})
    assert set(err.value.fields) == {"note"}

    d = perform(d.code, "send_back", leader, {"note": "Sửa lại tên người nhận."})
    assert d.status == Status.PROCESSING and d.current_step.role == Role.HANDLER
    assert d.assignee == handler and other_handler != handler
    leader_step = DossierStep.objects.get(dossier=d, role=Role.LEADER)
    assert leader_step.finished_at is not None and d.current_step.finished_at is None
    event = d.events.get(action="send_back")
    assert (event.note, event.payload["to_user"], event.payload["draft_version"]) == (
        "Sửa lại tên người nhận.",
        handler.pk,
        1,
    )
    assert handler.notifications.filter(kind="assigned").count() == 2  # handed over, then sent back
    assert not event.public and not d.events.get(action="draft_result").public  # internal to the agency
    assert (event.payload["from_unit"], event.payload["to_unit"]) == (ward.name, ward.name)  # a Mẫu 06 row

    client.force_login(handler)
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert 'id="sent-back-note"' in page and "Sửa lại tên người nhận." in page

    perform(d.code, "draft_result", handler, {**CONTENT[ResultKind.ANSWER], "recipient": "Ông Lê Văn An"})
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert 'id="sent-back-note"' not in page  # answered by a new version
    d = perform(d.code, "forward", handler, {})
    assert d.current_step == leader_step and d.assignee == leader
    assert DossierStep.objects.get(pk=leader_step.pk).finished_at is None


def test_who_may_draft_preview_and_approve(province, ward, clerk, handler, leader):
    d = at_approval(
        clerk, handler, ward, procedure_of(ResultKind.CERTIFICATE), CONTENT[ResultKind.CERTIFICATE]
    )
    with pytest.raises(Forbidden):  # a handler drafts and proposes; the leader approves
        perform(d.code, "resolve", handler, {"outcome": "approved", "draft_version": 1})

    back = to_handler(clerk, ward, procedure_of(ResultKind.CERTIFICATE))
    with pytest.raises(Forbidden):  # the counter receives; it does not draft results
        perform(back.code, "draft_result", clerk, CONTENT[ResultKind.CERTIFICATE])

    elsewhere = factories.user(role=Role.LEADER, agency=factories.agency(parent=province))
    with pytest.raises(NotFound):  # another agency's leader does not see the dossier at all
        preview_result_draft(elsewhere, d.code)
    with pytest.raises(Forbidden):
        preview_result_draft(clerk, d.code)
    assert preview_result_draft(handler, d.code)[1].version == 1

    api = client_for(elsewhere)
    assert api.get(f"/api/v1/dossiers/{d.code}/result-draft/preview.pdf").status_code == 404
    assert client_for(clerk).get(f"/api/v1/dossiers/{d.code}/result-draft/").status_code == 403


# (step role, who) -> the actions offered; the approval step offers the leader no hand-over.
STEP_TABLE = [
    ("clerk", "clerk", ["forward", "request_supplement", "request_payment", "withdraw"]),
    ("clerk", "handler", ["request_supplement", "request_payment", "apologize", "stop"]),
    ("clerk", "leader", ["apologize", "stop"]),
    ("handler", "clerk", ["request_supplement", "request_payment", "withdraw"]),
    (
        "handler",
        "handler",
        ["forward", "draft_result", "request_supplement", "request_payment", "apologize", "stop"],
    ),
    ("handler", "leader", ["apologize", "stop"]),
    ("leader", "clerk", ["request_supplement", "request_payment", "withdraw"]),
    ("leader", "handler", ["request_supplement", "request_payment", "apologize", "stop"]),
    ("leader", "leader", ["send_back", "apologize", "stop", "resolve"]),
]


@pytest.mark.parametrize(("step", "who", "expected"), STEP_TABLE, ids=[f"{s}-{w}" for s, w, _ in STEP_TABLE])
def test_each_step_offers_only_its_actions(
    ward, birth_registration, clerk, handler, leader, step, who, expected
):
    people = {"clerk": clerk, "handler": handler, "leader": leader}
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    current = d.steps.get(role=step) if step != "clerk" else d.steps.order_by("order").first()
    DossierStep.objects.filter(pk=current.pk).update(assignee=people[step])
    Dossier.objects.filter(pk=d.pk).update(current_step=current)
    d = Dossier.objects.select_related("current_step").get(pk=d.pk)
    assert allowed_actions(d, people[who]) == expected


def test_a_step_refuses_an_action_that_is_not_its_own(ward, clerk, handler, leader):
    d = at_approval(clerk, handler, ward, procedure_of(ResultKind.ANSWER), CONTENT[ResultKind.ANSWER])
    with pytest.raises(Conflict) as err:
        perform(d.code, "forward", leader, {})
    assert err.value.code == "not_this_step"
    assert err.value.extra["allowed_actions"] == ["send_back", "apologize", "stop", "resolve"]


def test_the_leaders_page_at_the_approval_step(client, ward, clerk, handler, leader):
    d = at_approval(clerk, handler, ward, procedure_of(ResultKind.ANSWER), CONTENT[ResultKind.ANSWER])
    client.force_login(leader)
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert f'href="/dossiers/{d.code}/result-draft.pdf?version=1"' in html
    assert ">Xem trước</a>" in html
    assert "<summary>Trả lại chuyên viên</summary>" in html
    assert "<summary>Phê duyệt và ký</summary>" in html
    assert "<summary>Chuyển xử lý</summary>" not in html
    assert 'name="draft_version" value="1"' in html
    assert 'id="draft-form"' not in html  # the leader reads the draft; the handler writes it

    response = client.get(f"/dossiers/{d.code}/result-draft.pdf?version=1")
    assert response["Content-Type"] == "application/pdf" and response["X-Draft-Version"] == "1"
    assert "Hồ sơ đăng ký thường trú đã được giải quyết" in pdf_text(response.content)
    assert client.get(f"/dossiers/{d.code}/result-draft.pdf?version=abc").status_code == 400
    assert client.get(f"/dossiers/{d.code}/result-draft.pdf?version=7").status_code == 404


def test_the_handler_drafts_on_the_page(client, ward, clerk, handler):
    d = to_handler(clerk, ward, procedure_of(ResultKind.DECISION))
    client.force_login(handler)
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert 'name="articles"' in html and 'name="grounds"' in html and 'name="particulars"' not in html

    response = client.post(f"/dossiers/{d.code}/actions/draft_result/", {"grounds": "Căn cứ …"})
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()
    response = client.post(f"/dossiers/{d.code}/actions/draft_result/", CONTENT[ResultKind.DECISION])
    assert response.status_code == 302
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Phiên bản 1" in html and "Điều 2. Quyết định có hiệu lực từ ngày ký." in html


def test_the_api_saves_reads_previews_and_sends_back(ward, clerk, handler, titled_leader):
    d = to_handler(clerk, ward, procedure_of(ResultKind.CERTIFICATE))
    url = f"/api/v1/dossiers/{d.code}"
    as_handler, as_leader = client_for(handler), client_for(titled_leader)

    saved = as_handler.post(f"{url}/actions/draft_result/", CONTENT[ResultKind.CERTIFICATE], format="json")
    assert saved.status_code == 200, saved.content
    draft = as_handler.get(f"{url}/result-draft/").json()
    assert draft["version"] == 1 and draft["kind"] == "certificate"
    assert draft["content"] == CONTENT[ResultKind.CERTIFICATE]
    assert [f["name"] for f in draft["content_fields"]] == ["particulars", "remarks"]
    assert as_handler.post(f"{url}/actions/forward/", {}, format="json").status_code == 200

    preview = as_leader.get(f"{url}/result-draft/preview.pdf")
    assert preview.status_code == 200 and preview["X-Draft-Version"] == "1"
    assert TITLE.upper() in pdf_text(preview.content)
    assert as_leader.get(f"{url}/result-draft/?version=x").status_code == 400

    sent = as_leader.post(f"{url}/actions/send_back/", {"note": "Bổ sung ngày sinh."}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "processing"
    assert Dossier.objects.get(pk=d.pk).assignee == handler
