"""Helpers for the lifecycle tests: a valid applicant, a frozen Monday morning, counter intake in one call."""

from __future__ import annotations

from dossiers.lifecycle.services import receive_at_counter
from tests.helpers import vn

__all__ = ["APPLICANT", "MONDAY_9AM", "intake", "vn"]

MONDAY_9AM = vn(2026, 3, 2, 9, 0)  # an ordinary working Monday

APPLICANT = {
    "name": "Trần Thị Bình",
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
}


def intake(clerk, ward, procedure, **kw):
    """Receive a complete dossier at the counter."""
    provided = kw.pop("provided", None)
    if provided is None:
        provided = [r.pk for r in procedure.requirements.all()]
    return receive_at_counter(
        actor=clerk,
        agency=ward,
        procedure=procedure,
        applicant=kw.pop("applicant", APPLICANT),
        provided_requirement_ids=provided,
        **kw,
    )
