"""What an event is called, for staff, in the reader's language: the workflow's own label for an action, and
words for the events the system writes itself. Never the internal code: an event with no label (one written by
an older release) is "Cập nhật hồ sơ". The desk history, the API history and the printed forms read this."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dossiers.lifecycle.workflow import ACTIONS

SYSTEM_EVENTS = {
    "document_attached": _("Đính kèm tài liệu"),
    "document_reused": _("Tái sử dụng dữ liệu số"),
    "rate": _("Người dân đánh giá"),
    "result_issued": _("Phát hành kết quả điện tử"),
    "result_failed": _("Lỗi phát hành kết quả điện tử"),
    "result_retry": _("Phát hành lại kết quả điện tử"),
}
UNKNOWN_EVENT = _("Cập nhật hồ sơ")


def event_label(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action].label)
    return str(SYSTEM_EVENTS.get(action, UNKNOWN_EVENT))
