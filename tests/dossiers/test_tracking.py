"""Public tracking: code + PIN, plain status, public timeline, no personal data, one answer for misses."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings

from dossiers.lifecycle.services import perform
from dossiers.models import Document, Dossier, Status
from dossiers.public.tracking import initials, rate_satisfaction, track
from tests import factories
from tests.dossiers.lifecycle import MONDAY_9AM, intake

pytestmark = pytest.mark.django_db

API = "/api/v1/public/track"


@pytest.fixture(autouse=True)
def fresh_rate_window():
    cache.delete_many(["rate:track:127.0.0.1"])
    yield
    cache.delete_many(["rate:track:127.0.0.1"])


@pytest.fixture
def received(clerk, ward, birth_registration):
    with time_machine.travel(MONDAY_9AM, tick=False):
        return intake(clerk, ward, birth_registration)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Trần Thị Bình", "T. T. B."), ("nguyễn văn an", "N. V. A."), ("Đỗ  Mạnh", "Đ. M."), ("", "")],
)
def test_initials_only(name, expected):
    assert initials(name) == expected


def test_page_shows_status_appointment_and_public_timeline_without_personal_data(client, received):
    response = client.post("/tra-cuu/", {"code": received.code, "pin": received.tracking_pin})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Được tiếp nhận" in text
    assert "Bộ phận Một cửa đã tiếp nhận hồ sơ" in text
    assert "T. T. B." in text
    assert received.due_at.astimezone(MONDAY_9AM.tzinfo).strftime("%d/%m/%Y") in text
    for secret in ("Trần Thị Bình", "001190012345", "0912345678", "Hàng Bạc", "binh@example.vn"):
        assert secret not in text


def test_qr_link_prefills_the_code(client, received):
    response = client.get(f"/tra-cuu/?code={received.code}")

    assert response.status_code == 200
    assert f'value="{received.code}"' in response.content.decode()
    assert client.get(f"/track/?code={received.code}").status_code == 200


def test_wrong_pin_and_unknown_code_get_the_same_answer(client, received):
    wrong_pin = client.get(API, {"code": received.code, "pin": "000000"})
    unknown = client.get(API, {"code": "000.00.00.X99-260302-0001", "pin": received.tracking_pin})

    assert wrong_pin.status_code == unknown.status_code == 404
    assert wrong_pin.content == unknown.content
    page_wrong = client.post("/tra-cuu/", {"code": received.code, "pin": "000000"})
    page_unknown = client.post("/tra-cuu/", {"code": "NOPE-1", "pin": received.tracking_pin})
    assert page_wrong.status_code == page_unknown.status_code == 404
    assert "Không tìm thấy hồ sơ" in page_wrong.content.decode()


def test_api_answers_in_plain_vietnamese_with_initials(client, received):
    response = client.get(API, {"code": received.code, "pin": received.tracking_pin})

    assert response.status_code == 200
    body = response.json()
    assert body["status_label"] == "Được tiếp nhận"
    assert body["national_status_code"] == 2
    assert body["applicant"] == "T. T. B."
    assert body["timeline"][0]["text"] == "Bộ phận Một cửa đã tiếp nhận hồ sơ"
    assert body["result_url"] is None
    assert "001190012345" not in response.content.decode()


def test_supplement_request_lists_what_is_missing(client, clerk, received):
    requirement = received.procedure.requirements.first()
    with time_machine.travel(MONDAY_9AM.replace(hour=10), tick=False):
        perform(
            received,
            "request_supplement",
            clerk,
            {"missing": [{"requirement_id": requirement.pk, "reason": "Bản sao mờ, không đọc được"}]},
        )

    body = client.get(API, {"code": received.code, "pin": received.tracking_pin}).json()

    assert body["status_label"] == "Yêu cầu bổ sung giấy tờ"
    assert body["missing"] == [{"name": requirement.name, "reason": "Bản sao mờ, không đọc được"}]
    page = client.post("/tra-cuu/", {"code": received.code, "pin": received.tracking_pin}).content.decode()
    assert "Bản sao mờ, không đọc được" in page


def test_internal_events_stay_off_the_public_timeline(received):
    from dossiers.lifecycle.events import record_event

    record_event(received, "internal_note", note="ghi chú nội bộ", public=False)

    info = track(received.code, received.tracking_pin)
    assert all("nội bộ" not in e.note for e in info.timeline)
    assert len(info.timeline) == 1


def test_result_download_checks_the_pin(client, ward, birth_registration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    doc = Document(dossier=d, kind=Document.Kind.RESULT, name="Kết quả", content_type="application/pdf")
    doc.file.save("ket-qua.pdf", ContentFile(b"%PDF-1.7 result"), save=True)

    body = client.get(API, {"code": d.code, "pin": d.tracking_pin}).json()
    assert body["result_url"] == f"/tra-cuu/{d.code}/ket-qua.pdf?pin={d.tracking_pin}"

    ok = client.get(body["result_url"])
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content).startswith(b"%PDF")
    assert client.get(f"/tra-cuu/{d.code}/ket-qua.pdf?pin=999999").status_code == 404


def test_no_result_link_before_a_result_exists(client, ward, birth_registration):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RESOLVED)

    assert client.get(f"/tra-cuu/{d.code}/ket-qua.pdf?pin={d.tracking_pin}").status_code == 404


@override_settings(TRACKING_RATE_LIMIT="3/60")
def test_lookups_are_rate_limited_per_client_ip(client, received):
    answers = [client.get(API, {"code": received.code, "pin": "000000"}).status_code for _ in range(4)]

    assert answers == [404, 404, 404, 429]
    limited = client.get(API, {"code": received.code, "pin": received.tracking_pin})
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert "quá nhiều lần" in error["message"]
    assert "Too many" in error["message_en"]
    assert client.post("/tra-cuu/", {"code": received.code, "pin": "1"}).status_code == 429
    other_ip = client.get(API, {"code": received.code, "pin": received.tracking_pin}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 200
    cache.delete("rate:track:10.0.0.9")


@pytest.mark.parametrize(
    ("status", "already", "outcome"),
    [
        (Status.RETURNED, "", "very_satisfied"),
        (Status.RETURNED, "satisfied", "already_rated"),
        (Status.RESOLVED, "", "not_returned"),
    ],
)
def test_satisfaction_once_after_the_result_is_returned(ward, birth_registration, status, already, outcome):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=status, satisfaction=already)

    if outcome in Dossier.Satisfaction.values:
        rate_satisfaction(d.code, d.tracking_pin, outcome)
        assert Dossier.objects.get(pk=d.pk).satisfaction == outcome
        assert d.events.filter(action="rate", public=True).exists()
    else:
        from config.errors import Conflict

        with pytest.raises(Conflict) as exc:
            rate_satisfaction(d.code, d.tracking_pin, "very_satisfied")
        assert exc.value.code == outcome


def test_rating_on_the_page(client, ward, birth_registration):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    page = client.post("/tra-cuu/", {"code": d.code, "pin": d.tracking_pin}).content.decode()
    assert 'name="satisfaction"' in page

    response = client.post(
        "/tra-cuu/danh-gia/", {"code": d.code, "pin": d.tracking_pin, "satisfaction": "satisfied"}
    )

    assert response.status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).satisfaction == "satisfied"


def test_tracking_page_is_light_and_loads_no_script(client, received):
    response = client.post("/tra-cuu/", {"code": received.code, "pin": received.tracking_pin})
    html = response.content
    css = open(finders.find("css/app.css"), "rb").read()

    assert b"<script" not in html
    assert b"htmx" not in html
    assert len(html) + len(css) < 50 * 1024
    assert len(client.get("/tra-cuu/").content) + len(css) < 50 * 1024


def test_lookup_is_a_single_query_with_its_events(received, django_assert_num_queries):
    with django_assert_num_queries(1):
        info = track(received.code, received.tracking_pin)
    assert [entry.text for entry in info.timeline]


def test_public_api_is_documented(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/public/track"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"code", "pin"}
    assert {"200", "404", "429"} <= set(operation["responses"])
