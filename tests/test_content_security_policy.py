"""Pages send a Content-Security-Policy that allows no inline script or style, and the templates need none."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# WeasyPrint renders these to PDF on the server; a browser never receives them as HTML.
PRINTED = TEMPLATES / "pdf"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/tra-cuu/"])
def test_pages_allow_only_their_own_scripts_and_styles(client, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_allow_swagger_from_its_cdn_but_no_inline_script(client):
    response = client.get("/api/docs/")

    policy = directives(response)
    assert "https://cdn.jsdelivr.net" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert b"<script>" not in response.content  # its initialisation script is a separate request


def test_printed_forms_are_not_held_to_the_page_policy():
    from dossiers.api.documents import pdf_response

    # Chrome's PDF viewer draws in a page of its own that an HTML policy would blank.
    assert getattr(pdf_response(b"%PDF-1.7", "x.pdf"), "_csp_exempt", False) is True


def browser_templates():
    return sorted(p for p in TEMPLATES.rglob("*.html") if PRINTED not in p.parents)


INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("<style> block", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


@pytest.mark.parametrize("template", browser_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text()

    found = [what for what, pattern in INLINE if pattern.search(text)]
    assert not found, f"{template.relative_to(TEMPLATES)}: {', '.join(found)} (move it to static/)"
