"""Helpers for the lifecycle tests: a valid applicant, a frozen Monday morning, counter intake in one call."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers.lifecycle.services import receive_at_counter

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9AM = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # an ordinary working Monday

APPLICANT = {
    "name": "Trần Thị Bình",
    "id_number": "001190012345",
    "phone": "0912345678",
    "email": "binh@example.vn",
    "address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
}


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


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


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests create many users; the production password hash would dominate their run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
