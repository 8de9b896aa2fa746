"""The product's own 400, 403, 404 and 500 pages in the reader's language; the API keeps answering JSON."""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

# (code, Vietnamese, English) per status: the API's error shape, as config.errors writes it.
API_ERRORS = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này.", "You may not do this."),
    404: ("not_found", "Không tìm thấy.", "Not found."),
    500: ("server_error", "Hệ thống gặp lỗi, vui lòng thử lại sau.", "Server error, please try again later."),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int) -> JsonResponse:
    code, vi, en = API_ERRORS[status]
    return JsonResponse({"error": {"code": code, "message": vi, "message_en": en}}, status=status)


def bad_request(request, exception):
    return _api_error(400) if _is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _api_error(403) if _is_api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _api_error(404) if _is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    # Django's own view renders 500.html without the request's context: nothing that failed (the database,
    # a context processor) runs again while telling the reader that something failed.
    return _api_error(500) if _is_api(request) else defaults.server_error(request)
