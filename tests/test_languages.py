"""What an English reader sees: statuses, actions, timeline, staff inbox and error pages in English, while
the API's errors keep both languages and printed or citizen texts stay Vietnamese."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import override_settings
from django.urls import path
from django.utils import translation

from config.errors import Conflict
from config.urls import urlpatterns as site_urlpatterns
from dossiers.lifecycle.events import record_event
from dossiers.lifecycle.workflow import ACTIONS, check_allowed
from dossiers.models import Notification, Status
from dossiers.public.tracking import track
from tests import factories


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- labels ---


@pytest.mark.parametrize(
    "status, vi, en",
    [
        (Status.SUBMITTED, "Mới đăng ký", "Newly submitted"),
        (Status.SUPPLEMENT_REQUESTED, "Yêu cầu bổ sung giấy tờ", "Supplement requested"),
        (Status.STOPPED, "Dừng xử lý", "Stopped"),
        (Status.RETURNED, "Đã trả kết quả", "Result returned"),
    ],
)
def test_a_status_label_follows_the_active_language(status, vi, en):
    assert str(Status(status).label) == vi
    with translation.override("en"):
        assert str(Status(status).label) == en


def test_an_action_has_one_label_shown_in_either_language():
    stop = ACTIONS["stop"]
    assert (stop.label_vi, stop.label_en) == ("Dừng xử lý", "Stop")
    with translation.override("en"):
        assert str(stop.label) == "Stop"
        assert stop.label_vi == "Dừng xử lý"  # the status of the same words stays apart (msgctxt)
        assert str(Status(Status.STOPPED).label) == "Stopped"


def test_an_api_error_keeps_vietnamese_and_english_whatever_the_active_language(
    ward, birth_registration, clerk
):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RETURNED)
    with translation.override("en"), pytest.raises(Conflict) as caught:
        check_allowed(d, "stop", clerk)
    body = caught.value.as_dict()
    assert "«Dừng xử lý»" in body["message"] and "«Đã trả kết quả»" in body["message"]
    assert body["message_en"].startswith("Cannot stop a dossier")


def test_the_public_timeline_is_in_the_readers_language(ward, birth_registration, clerk):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    record_event(d, "receive", actor=clerk, to_status=Status.RECEIVED)
    info = track(d.code, d.tracking_pin)
    assert info.status_label == "Được tiếp nhận"
    assert "Bộ phận Một cửa đã tiếp nhận hồ sơ" in [e.text for e in info.timeline]
    with translation.override("en"):
        info = track(d.code, d.tracking_pin)
    assert info.status_label == "Received"
    assert "The one-stop desk received the dossier" in [e.text for e in info.timeline]


def test_the_tracking_page_in_english(client, ward, birth_registration, clerk):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    record_event(d, "receive", actor=clerk, to_status=Status.RECEIVED)
    page = english(client).get("/tra-cuu/", {"code": d.code, "pin": d.tracking_pin}).content.decode()
    assert "The one-stop desk received the dossier" in page
    assert "Bộ phận Một cửa đã tiếp nhận hồ sơ" not in page


def test_the_dossier_page_in_english_names_actions_and_status_in_english(
    client, ward, birth_registration, leader
):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.PROCESSING)
    english(client).force_login(leader)
    page = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Approve and sign" in page and "Apologise and reschedule" in page
    assert "Phê duyệt kết quả" not in page


# --- notifications ---


def test_a_staff_inbox_row_is_shown_in_the_readers_language(client, ward, birth_registration, clerk, handler):
    d = factories.dossier(procedure=birth_registration, agency=ward, status=Status.RECEIVED)
    record_event(d, "forward", actor=clerk, payload={"to_user": handler.pk, "to_step_name": "Thẩm định"})
    note = Notification.objects.get(user=handler)
    assert note.title == f"Bạn được giao xử lý hồ sơ {d.code}."
    assert note.title_en == f"You have been assigned dossier {d.code}."
    assert 'at the step "Thẩm định"' in note.body_en
    client.force_login(handler)
    assert note.title in client.get("/inbox/").content.decode()
    page = english(client).get("/inbox/").content.decode()
    assert note.title_en in page and note.title not in page


def test_the_citizens_messages_stay_vietnamese(ward, birth_registration, clerk):
    citizen = factories.user(username="citizen")
    d = factories.dossier(
        procedure=birth_registration, agency=ward, status=Status.RECEIVED, applicant_user=citizen
    )
    with translation.override("en"):
        record_event(d, "receive", actor=clerk, to_status=Status.RECEIVED)
    note = Notification.objects.get(user=citizen)
    assert note.title.startswith(f"Hồ sơ {d.code} đã được tiếp nhận")
    assert note.title_en == "" and note.shown_title == note.title


# --- error pages ---


def boom(request):
    raise RuntimeError("the view failed")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad")


def missing(request):
    raise Http404


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("forbidden/", forbidden),
    path("api/v1/forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("missing/", missing),
    *site_urlpatterns,
]
handler400 = "config.error_pages.bad_request"
handler403 = "config.error_pages.permission_denied"
handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"

PAGES = [
    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang", "Page not found"),
    ("/missing/", 404, "Không tìm thấy trang", "Page not found"),
    ("/forbidden/", 403, "Không có quyền truy cập", "Access denied"),
    ("/suspicious/", 400, "Yêu cầu không hợp lệ", "Bad request"),
    ("/boom/", 500, "Hệ thống gặp lỗi", "Something went wrong"),
]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url, status, vi, en", PAGES)
def test_error_pages_are_the_products_own_in_both_languages(client, db, url, status, vi, en):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert vi in page and 'class="topbar"' in page and 'lang="vi"' in page  # the base layout
    page = english(client).get(url).content.decode()
    assert en in page and vi not in page and 'lang="en"' in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_the_500_page_renders_for_a_signed_in_user_without_the_requests_context(client, clerk):
    client.raise_request_exception = False
    client.force_login(clerk)
    response = client.get("/boom/")
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/khong-co/", 404, "not_found"),
        ("/api/v1/forbidden/", 403, "forbidden"),
        ("/api/v1/boom/", 500, "server_error"),
    ],
)
def test_the_api_keeps_answering_json_errors(client, db, url, status, code):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status and response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["message_en"]
