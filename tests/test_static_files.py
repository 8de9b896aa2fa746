"""Static files go out under hashed names, cached by browsers for a year (immutable) and compressed, so a
staff page after the first visit costs only its own compressed HTML."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client

HTMX = "js/htmx.min.js"


@pytest.fixture
def htmx_url():
    url = staticfiles_storage.url(HTMX)
    assert url != f"/static/{HTMX}" and url.startswith("/static/js/htmx.min.")  # the hashed name
    return url


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_hashed_htmx_is_cached_for_a_year(htmx_url):
    response = Client().get(htmx_url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"


@pytest.mark.parametrize(("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_a_compressed_variant_is_served(htmx_url, encoding, decode):
    plain = _body(Client().get(htmx_url))

    response = Client().get(htmx_url, HTTP_ACCEPT_ENCODING=encoding)

    assert response["Content-Encoding"] == encoding
    body = _body(response)
    assert decode(body) == plain and len(body) < len(plain) / 2


@pytest.mark.django_db
def test_pages_name_the_hashed_files(client, clerk, htmx_url):
    client.force_login(clerk)

    page = client.get("/desk/q/in_progress/").content.decode()

    assert f'src="{htmx_url}"' in page and staticfiles_storage.url("css/app.css") in page
