"""Every portal page costs at most 30 KB on a first visit, as served: its gzip-compressed HTML plus each
static file it names, compressed as WhiteNoise serves them (brotli). No page carries a script. The time each
takes on a slow link (400 kbit/s, 400 ms round trip) is printed for docs/PERFORMANCE.md (`pytest -s`)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dossiers.lifecycle import portal, services
from procedures.models import Fee, Procedure
from tests import factories
from tests.conftest_worker import media_root  # noqa: F401
from tests.dossiers.portal_helpers import file_online

FIRST_VISIT_LIMIT = 30 * 1024
LINK_BITS_PER_SECOND, RTT_SECONDS = 400_000, 0.4
# A first visit: TCP handshake, TLS 1.3 handshake, the page, then its stylesheet (named in its <head>); each
# answer fits the initial congestion window (10 segments, ~14 KB) or adds its bytes at the link's rate.
ROUND_TRIPS = 4


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def first_visit_bytes(client: Client, url: str) -> tuple[int, int, list[str]]:
    page = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200, url
    assert page["Content-Encoding"] == "gzip"
    html = client.get(url).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    static = 0
    for asset in assets:
        static += len(body(Client().get(asset, HTTP_ACCEPT_ENCODING="br")))
    return len(page.content), static, assets


@pytest.fixture
def pages(db, media_root, ward, clerk):  # noqa: F811 (the imported fixture)
    sector = factories.sector()
    for i in range(25):  # a full first page of the catalogue, each with its fees
        p = factories.procedure(
            name=f"Cấp bản sao trích lục hộ tịch {i}", sector=sector, online_fee_discount_pct=50
        )
        Fee.objects.create(procedure=p, name="Lệ phí", amount=8000, unit=Fee.Unit.COPY)
    procedure = factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)
    citizen = factories.citizen(full_name="Trần Thị Bình")
    dossiers = [file_online(citizen, ward, procedure) for _ in range(20)]  # a full page of "my dossiers"
    asked = dossiers[0]
    services.receive(asked.code, clerk)
    services.forward(asked.code, clerk)
    requirement = procedure.requirements.first()
    missing = [{"requirement_id": requirement.pk, "name": requirement.name, "reason": "Ảnh mờ"}]
    services.request_supplement(asked.code, factories.user(role="handler", agency=ward), {"missing": missing})
    draft = portal.start_draft(citizen, procedure, ward)
    return citizen, {
        "home": "/cong-dan/",
        "catalogue": "/cong-dan/thu-tuc/?q=trich luc",
        "procedure": f"/cong-dan/thu-tuc/{procedure.code}/?province={ward.parent_id}",
        "draft": f"/cong-dan/nhap/{draft.pk}/",
        "dossier": f"/cong-dan/ho-so/{asked.code}/",
        "supplement": f"/cong-dan/ho-so/{asked.code}/bo-sung/",
    }


def test_every_portal_page_is_light_on_a_first_visit(pages):
    citizen, urls = pages
    client = Client()
    client.force_login(citizen)
    print("\npage: html + static = total bytes, seconds at 400 kbit/s and 400 ms RTT")
    for name, url in urls.items():
        html, static, assets = first_visit_bytes(client, url)
        total = html + static
        seconds = ROUND_TRIPS * RTT_SECONDS + total * 8 / LINK_BITS_PER_SECOND
        print(f"{name}: {html} + {static} = {total} B, {seconds:.2f} s")
        assert not [a for a in assets if a.endswith(".js")], f"{name} loads a script"
        assert "<script" not in client.get(url).content.decode(), name
        assert total <= FIRST_VISIT_LIMIT, f"{name}: {total} bytes"
