"""The kinds of result a handler drafts (procedures.ResultKind): the template each prints on, its heading,
and the content fields the handler fills. Plain data: the workflow reads the fields, the PDFs the rest."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from procedures.models import ResultKind


@dataclass(frozen=True)
class DraftField:
    name: str
    label: Promise
    required: bool = False
    rows: int = 4


@dataclass(frozen=True)
class ResultTemplate:
    kind: str
    template: str
    heading: str  # printed in Vietnamese, as the result is
    fields: tuple[DraftField, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


RESULT_TEMPLATES: dict[str, ResultTemplate] = {
    t.kind: t
    for t in [
        ResultTemplate(
            ResultKind.DECISION,
            "pdf/result_decision.html",
            "Quyết định",
            (
                DraftField("grounds", _("Căn cứ ban hành"), rows=3),
                DraftField("articles", _("Các điều của quyết định"), required=True, rows=8),
            ),
        ),
        ResultTemplate(
            ResultKind.CERTIFICATE,
            "pdf/result_certificate.html",
            "Giấy chứng nhận",
            (
                DraftField("particulars", _("Nội dung chứng nhận, trích lục"), required=True, rows=8),
                DraftField("remarks", _("Ghi chú"), rows=2),
            ),
        ),
        ResultTemplate(
            ResultKind.ANSWER,
            "pdf/result_answer.html",
            "Văn bản trả lời",
            (
                DraftField("recipient", _("Kính gửi"), rows=1),
                DraftField("body", _("Nội dung trả lời"), required=True, rows=8),
            ),
        ),
    ]
}
# Every content field of every kind: the draft_result action takes any of them (workflow.ACTION_INPUTS).
DRAFT_FIELDS: dict[str, DraftField] = {f.name: f for t in RESULT_TEMPLATES.values() for f in t.fields}


def template_for(kind: str) -> ResultTemplate:
    return RESULT_TEMPLATES.get(kind) or RESULT_TEMPLATES[ResultKind.CERTIFICATE]
