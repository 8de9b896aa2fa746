"""Domain errors carried in Vietnamese and English, and the API's error format.

Every API error body is {"error": {"code", "message" (vi), "message_en", "fields"?, ...extra}}.
"""

from __future__ import annotations

from django.utils import translation
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A rule of the product refused the request; carries both languages."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, vi: str, en: str, *, code: str | None = None, fields: dict | None = None, **extra):
        super().__init__(en)
        self.vi, self.en = vi, en
        if code:
            self.code = code
        self.fields = fields or {}
        self.extra = extra

    @property
    def message(self) -> str:
        """The message in the reader's language, for HTML pages (the API gives both)."""
        return localized({"message": self.vi, "message_en": self.en})

    @property
    def field_messages(self) -> list[str]:
        return [localized(f) for f in self.fields.values() if isinstance(f, dict)]

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": self.vi, "message_en": self.en}
        if self.fields:
            body["fields"] = self.fields
        body.update(self.extra)
        return body


class InvalidInput(DomainError):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"


class Forbidden(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class RateLimited(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "rate_limited"


def localized(error: dict) -> str:
    """`message_en` when the active language is English, else `message`, of a bilingual error dict."""
    english = (translation.get_language() or "").startswith("en")
    return (error.get("message_en") if english else None) or error.get("message", "")


def field_error(vi: str, en: str) -> dict:
    """One field's message in both languages, for DomainError(fields={name: field_error(...)})."""
    return {"message": vi, "message_en": en}


_DRF_MESSAGES = {
    exceptions.NotAuthenticated: ("Bạn cần đăng nhập.", "Authentication required."),
    exceptions.AuthenticationFailed: ("Thông tin đăng nhập không đúng.", "Invalid credentials."),
    exceptions.PermissionDenied: ("Bạn không có quyền thực hiện thao tác này.", "You may not do this."),
    exceptions.NotFound: ("Không tìm thấy.", "Not found."),
    exceptions.MethodNotAllowed: ("Phương thức không được hỗ trợ.", "Method not allowed."),
    exceptions.Throttled: ("Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests, try again later."),
    exceptions.UnsupportedMediaType: ("Định dạng dữ liệu không được hỗ trợ.", "Unsupported media type."),
    exceptions.ParseError: ("Dữ liệu gửi lên không đọc được.", "Malformed request body."),
}


# DRF errors of the project's own kinds, by code (a subclass of one of the above names it).
_CODE_MESSAGES = {
    "token_expired": (
        "Phiên làm việc của token đã hết hạn, vui lòng lấy token mới.",
        "The token has expired; obtain a new one.",
    ),
}


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        response = Response({"error": exc.as_dict()}, status=exc.status_code)
        if "retry_after" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {
            name: {
                "message": " ".join(map(str, msgs if isinstance(msgs, list) else [msgs])),
                "message_en": " ".join(map(str, msgs if isinstance(msgs, list) else [msgs])),
            }
            for name, msgs in detail.items()
        }
        response.data = {
            "error": {
                "code": "invalid",
                "message": "Dữ liệu không hợp lệ.",
                "message_en": "Invalid input.",
                "fields": fields,
            }
        }
        return response
    vi, en = _CODE_MESSAGES.get(getattr(exc, "default_code", None)) or next(
        ((v, e) for cls, (v, e) in _DRF_MESSAGES.items() if isinstance(exc, cls)),
        ("Yêu cầu không hợp lệ.", str(getattr(exc, "detail", "Bad request."))),
    )
    response.data = {
        "error": {"code": getattr(exc, "default_code", "error"), "message": vi, "message_en": en}
    }
    return response
