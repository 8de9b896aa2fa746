"""Requests carrying a NUL character are refused with a bilingual 400 before any view reads them.

PostgreSQL text cannot hold U+0000: a NUL reaching a query or a save is a database error, a 500. No legitimate
form, query or JSON body of the product carries one, so it is refused at the door, once, for every view (the
API, the desk, the public pages) rather than stripped: stripping would silently change what was typed.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from config.errors import InvalidInput, field_error

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_error(name: str) -> InvalidInput:
    vi = "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL)."
    en = "The request contains an invalid character (NUL)."
    return InvalidInput(vi, en, code="nul_character", fields={name: field_error(vi, en)} if name else None)


def _in_json(value, path: str = "") -> str | None:
    """The dotted name of the first string (key or value) holding a NUL, else None."""
    if isinstance(value, str):
        return (path or "body") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return name.replace(NUL, "")
            if found := _in_json(item, name):
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := _in_json(item, f"{path}.{index}" if path else str(index)):
                return found
    return None


def _in_query(query) -> str | None:
    for key, values in query.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "")
    return None


def nul_field(request: HttpRequest) -> str | None:
    """Where the request carries a NUL: "path", a parameter or field name, or None when it carries none.
    Raises what Django raises on a body it cannot parse."""
    if NUL in request.path:
        return "path"
    if found := _in_query(request.GET):
        return found
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        return _in_query(request.POST)
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            body = json.loads(request.body)
        except ValueError:
            return None  # the view's parser gives its own "malformed body" answer
        return _in_json(body)
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            found = nul_field(request)
        except MultiPartParserError:  # answered as the API answers an unparsable body
            error = InvalidInput(
                "Dữ liệu gửi lên không đọc được.", "Malformed request body.", code="parse_error"
            )
            return self._refuse(request, error)
        if found is None:
            return self.get_response(request)
        return self._refuse(request, _nul_error(found))

    def _refuse(self, request: HttpRequest, error: InvalidInput) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"error": error.as_dict()}, status=error.status_code)
        return render(request, "verify/problem.html", {"error": error, "back": "/"}, status=400)
