"""The API schema documents the error answers: every operation may answer with the project's error shape."""

from __future__ import annotations

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Lỗi (error): mã, thông điệp tiếng Việt và tiếng Anh, lỗi theo từng trường nếu có.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "message_en"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string", "description": "Tiếng Việt"},
                "message_en": {"type": "string", "description": "English"},
                "fields": {
                    "type": "object",
                    "description": "Theo tên trường (lồng nhau: applicant.name, missing.0.reason)",
                    "additionalProperties": {
                        "type": "object",
                        "required": ["message", "message_en"],
                        "properties": {"message": {"type": "string"}, "message_en": {"type": "string"}},
                    },
                },
            },
            "additionalProperties": True,  # e.g. allowed_actions on a 409, retry_after on a 429
        }
    },
}
# The answers config.errors gives, whichever view: bad input, sign-in needed, role, unknown, state, too many.
ERROR_ANSWERS = {
    "400": "Dữ liệu không hợp lệ (invalid input)",
    "401": "Cần đăng nhập hoặc token hết hạn (authentication required)",
    "403": "Không có quyền (forbidden)",
    "404": "Không tìm thấy (not found)",
    "409": "Trạng thái không cho phép (conflict)",
    "429": "Quá nhiều yêu cầu, xem Retry-After (too many requests)",
}
METHODS = ("get", "put", "post", "patch", "delete")


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: the Error component, and each error answer on every operation
    (an answer an operation already describes keeps its description and gains the error body)."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_ANSWERS.items():
                answer = responses.setdefault(status, {"description": description})
                answer.setdefault("content", content)
    return result
