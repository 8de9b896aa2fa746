"""Queue pages: the kiosk and display for anyone, the slip with its QR, the clerk's counter, the link to the
dossier received at the intake page, and the query counts of the pages that poll."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Role
from dossiers.models import Ticket
from dossiers.queueing import services
from tests import factories

from .queue import hall
from .test_desk_intake import _post

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(ward):
    return hall(ward)


@pytest.fixture
def desk(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def test_the_kiosk_shows_one_button_per_area_without_signing_in(client, ward, queue):
    page = client.get(f"/kiosk/{ward.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="kiosk-button"') == 2 and "Hộ tịch" in html and "Chứng thực" in html


def test_pressing_a_button_issues_a_number_and_opens_the_slip(client, ward, queue):
    response = client.post(f"/kiosk/{ward.code}/", {"area": queue.certify.pk})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/so-thu-tu/{ticket.token}/?kiosk=1"
    slip = client.get(response["Location"]).content.decode()
    assert "B-001" in slip and "<svg" in slip  # the QR code to this page
    assert "Còn 0 người trước bạn" in slip
    assert ticket.token in slip


def test_the_kiosk_refuses_an_area_of_another_agency(client, ward, queue, province):
    other = hall(factories.agency(parent=province))
    response = client.post(f"/kiosk/{ward.code}/", {"area": other.civil.pk})
    assert response.status_code == 400
    assert "Không có khu vực phục vụ này" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "path", ["/kiosk/000.00.99.Z99/", "/hien-thi/000.00.99.Z99/", "/so-thu-tu/doan-bua/"]
)
def test_unknown_agencies_and_tokens_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_waiting_status_counts_who_is_ahead_and_names_the_counter_once_called(client, queue, clerk):
    first = services.issue_ticket(queue.civil)
    mine = services.issue_ticket(queue.civil)
    services.issue_ticket(queue.certify)  # another area: not ahead
    url = f"/so-thu-tu/{mine.token}/trang-thai/"
    assert "Còn 1 người trước bạn" in client.get(url).content.decode()
    services.call_next(queue.one, clerk)
    assert first.pk == Ticket.objects.get(status="called").pk
    assert "Còn 0 người trước bạn" in client.get(url).content.decode()
    services.finish(queue.one, clerk)
    services.call_next(queue.one, clerk)
    assert "Mời đến Quầy 1" in client.get(url).content.decode()


def test_the_status_page_names_no_person(client, queue, clerk, ward, birth_registration, desk):
    ticket = services.issue_ticket(queue.civil)
    services.call_next(queue.one, clerk)
    desk.post("/desk/intake/", _post(birth_registration, ward))
    ticket.refresh_from_db()
    assert ticket.dossier is not None
    html = client.get(f"/so-thu-tu/{ticket.token}/").content.decode()
    assert ticket.dossier.applicant_name not in html and ticket.dossier.code not in html


def test_the_display_shows_called_numbers_with_their_counters_and_the_waiting_ones(
    client, ward, queue, clerk
):
    for _ in range(3):
        services.issue_ticket(queue.civil)
    services.issue_ticket(queue.certify)
    services.call_next(queue.one, clerk)
    page = client.get(f"/hien-thi/{ward.code}/").content.decode()
    assert 'hx-trigger="every 3s"' in page
    board = client.get(f"/hien-thi/{ward.code}/bang/").content.decode()
    called = re.search(r'<td class="board-number">(.*?)</td><td class="board-counter">(.*?)</td>', board)
    assert called.groups() == ("A-001", "Quầy 1")
    assert "A-002" in board and "A-003" in board and "B-001" in board


def test_the_display_fragment_costs_a_fixed_number_of_queries(
    client, ward, queue, clerk, django_assert_num_queries
):
    for _ in range(30):
        services.issue_ticket(queue.civil)
        services.issue_ticket(queue.certify)
    services.call_next(queue.one, clerk)
    services.call_next(queue.two, clerk)
    # the agency, its areas, the called tickets (with area and counter), the waiting numbers
    with django_assert_num_queries(4):
        assert client.get(f"/hien-thi/{ward.code}/bang/").status_code == 200


def test_the_waiting_status_fragment_costs_two_queries(client, queue, django_assert_num_queries):
    ticket = services.issue_ticket(queue.civil)
    with django_assert_num_queries(2):
        assert client.get(f"/so-thu-tu/{ticket.token}/trang-thai/").status_code == 200


def test_the_clerk_calls_starts_and_finishes_at_the_counter(desk, queue):
    services.issue_ticket(queue.civil)
    page = f"/desk/quay/{queue.one.pk}/"
    assert "Gọi số tiếp theo" in desk.get(page).content.decode()
    for step, shown in [("goi", "Đã gọi số A-001"), ("bat-dau", "Bắt đầu phục vụ số A-001")]:
        response = desk.post(f"{page}{step}/", follow=True)
        assert shown in response.content.decode()
    response = desk.post(f"{page}xong/", follow=True)
    assert "Đã phục vụ xong số A-001" in response.content.decode()
    assert Ticket.objects.get().status == Ticket.Status.DONE


def test_calling_with_nobody_waiting_says_so(desk, queue):
    response = desk.post(f"/desk/quay/{queue.one.pk}/goi/", follow=True)
    assert "Không còn ai đang chờ" in response.content.decode()


def test_recall_and_no_show_from_the_counter(desk, queue):
    services.issue_ticket(queue.civil)
    page = f"/desk/quay/{queue.one.pk}/"
    desk.post(f"{page}goi/")
    assert "Đã gọi lại số A-001" in desk.post(f"{page}goi-lai/", follow=True).content.decode()
    assert "Số A-001 vắng mặt" in desk.post(f"{page}vang/", follow=True).content.decode()
    assert Ticket.objects.get().status == Ticket.Status.NO_SHOW


def test_the_dossier_received_at_the_intake_is_linked_to_the_ticket(desk, queue, ward, birth_registration):
    ticket = services.issue_ticket(queue.civil)
    desk.post(f"/desk/quay/{queue.one.pk}/goi/")
    desk.post(f"/desk/quay/{queue.one.pk}/bat-dau/")
    response = desk.post("/desk/intake/", _post(birth_registration, ward), follow=True)
    assert "Số thứ tự A-001 đã gắn với hồ sơ" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.dossier.receiving_agency == ward
    counter = desk.get(f"/desk/quay/{queue.one.pk}/").content.decode()
    assert ticket.dossier.code in counter


@pytest.mark.parametrize("role", [Role.HANDLER, Role.LEADER, Role.SUPERVISOR])
def test_the_counter_is_for_clerks_of_the_agency_only(queue, ward, role):
    client = Client()
    client.force_login(factories.user(role=role, agency=ward))
    assert client.get(f"/desk/quay/{queue.one.pk}/").status_code == 404
    assert client.post(f"/desk/quay/{queue.one.pk}/goi/").status_code == 404


def test_the_counter_page_costs_a_fixed_number_of_queries(desk, queue, django_assert_num_queries):
    for _ in range(10):
        services.issue_ticket(queue.civil)
    desk.post(f"/desk/quay/{queue.one.pk}/goi/")
    desk.get(f"/desk/quay/{queue.one.pk}/")
    with django_assert_num_queries(9):
        assert desk.get(f"/desk/quay/{queue.one.pk}/").status_code == 200


def _first_visit_bytes(client, path: str) -> int:
    """The page (gzip, as the proxy sends it) and every stylesheet and script it names (their .br files)."""
    import gzip

    html = client.get(path).content
    total = len(gzip.compress(html))
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        response = client.get(url.decode(), HTTP_ACCEPT_ENCODING="br")
        assert response.status_code == 200
        total += len(b"".join(response.streaming_content) if response.streaming else response.content)
    return total


def test_the_slip_and_the_display_are_light_on_a_first_visit(client, ward, queue):
    """Citizen pages: at most 30 KB on a first visit (slip on a phone over a slow link, the hall's TV)."""
    ticket = services.issue_ticket(queue.civil)
    for path in (f"/so-thu-tu/{ticket.token}/", f"/hien-thi/{ward.code}/", f"/kiosk/{ward.code}/"):
        assert _first_visit_bytes(client, path) <= 30_000, path
