"""Turn a PDF template and its context into PDF bytes; shared header data and the tracking QR code."""

from __future__ import annotations

import logging
import threading
import unicodedata

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

# WeasyPrint logs every rendering step at INFO; a counter issuing receipts all day does not need that.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def tracking_url(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/tra-cuu/?code={code}"


def verify_url(token: str) -> str:
    """The public check of one result, by the token printed on it (never by the dossier code)."""
    return f"{settings.PUBLIC_BASE_URL}/verify/{token}/"


def qr_data_uri(url: str) -> str:
    """A PNG QR code as a data URI; about 280 dpi at the printed 20 mm, and cheaper to lay out than SVG."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def issued_on_text(when=None) -> str:
    day = timezone.localtime(when or timezone.now())
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def place_of(agency) -> str:
    """The place on the date line: the ward's own name without its title ('Phường X' -> 'X')."""
    name = agency.name
    for prefix in (
        "Ủy ban nhân dân ",
        "UBND ",
        "Phường ",
        "Xã ",
        "Thị trấn ",
        "Đặc khu ",
        "Tỉnh ",
        "Thành phố ",
    ):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def render_html(template: str, context: dict) -> str:
    with translation.override("vi"):
        html = render_to_string(template, context)
    return unicodedata.normalize("NFC", html)


_local = threading.local()


def _font_config() -> FontConfiguration:
    # Building the font configuration costs a third of a small form's render; keep one per thread.
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def render_document(template: str, context: dict):
    """A template under templates/pdf/ laid out as pages (a WeasyPrint document), not yet written."""
    html = HTML(string=render_html(template, context), base_url=str(settings.BASE_DIR))
    return html.render(font_config=_font_config())


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template under templates/pdf/ to PDF; NFC text so diacritics extract and search cleanly."""
    return render_document(template, context).write_pdf()


def combined_pdf(documents: list) -> bytes:
    """One PDF of the pages of several laid-out documents, in order (each keeps its own page size)."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
