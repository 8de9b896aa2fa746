"""Factories for tests: plain functions that create real rows in PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from accounts.models import Agency, Membership, User
from dossiers.models import Dossier, DossierStep, ResultDraft, Status
from procedures.models import DocumentRequirement, Procedure, Sector, StepTemplate

_seq = itertools.count(1)


def agency(
    *, parent: Agency | None = None, level: str | None = None, name: str | None = None, **kw
) -> Agency:
    n = next(_seq)
    level = level or (Agency.Level.COMMUNE if parent else Agency.Level.PROVINCE)
    province_code = parent.province_code if parent else f"{90 + n % 9}"
    defaults = {
        "code": kw.pop("code", f"{n // 10000 % 1000:03d}.{n // 100 % 100:02d}.{n % 100:02d}.T99"),
        "name": name or (f"Phường Thử {n}" if parent else f"Tỉnh Thử {n}"),
        "level": level,
        "parent": parent,
        "province_code": province_code,
        "ward_code": kw.pop("ward_code", f"{n:05d}" if parent else ""),
    }
    defaults.update(kw)
    return Agency.objects.create(**defaults)


def user(*, role: str | None = None, agency: Agency | None = None, username: str | None = None, **kw) -> User:
    n = next(_seq)
    u = User.objects.create_user(
        username=username or f"user{n}",
        password=kw.pop("password", "pass12345"),
        full_name=kw.pop("full_name", f"Nguyễn Văn {n}"),
        **kw,
    )
    if role and agency:
        Membership.objects.create(user=u, agency=agency, role=role)
    return u


def sector(code: str = "hotich", name: str = "Hộ tịch") -> Sector:
    return Sector.objects.get_or_create(code=code, defaults={"name": name})[0]


def procedure(
    *,
    code: str | None = None,
    name: str = "Đăng ký khai sinh",
    days: int = 3,
    unit: str = Procedure.TimeUnit.WORKING_DAYS,
    steps: list[tuple[str, str, int]] | None = None,
    requirements: list[tuple[str, bool]] | None = None,
    **kw,
) -> Procedure:
    n = next(_seq)
    p = Procedure.objects.create(
        code=code or f"9.{n:06d}",
        name=name,
        sector=kw.pop("sector", None) or sector(),
        legal_days=0 if unit == Procedure.TimeUnit.SAME_DAY else days,
        time_unit=unit,
        **kw,
    )
    for i, (req_name, required) in enumerate(requirements or [("Tờ khai", True), ("Giấy chứng sinh", True)]):
        DocumentRequirement.objects.create(
            procedure=p, order=i + 1, name=req_name, required=required, originals=1
        )
    default_steps = [
        ("Tiếp nhận hồ sơ", "clerk", 0),
        ("Thẩm định", "handler", max(days - 1, 0)),
        ("Phê duyệt", "leader", 1 if days else 0),
        ("Trả kết quả", "clerk", 0),
    ]
    for i, (step_name, role, step_days) in enumerate(steps or default_steps):
        StepTemplate.objects.create(procedure=p, order=i + 1, name=step_name, role=role, days=step_days)
    return p


def dossier(
    *,
    procedure: Procedure,
    agency: Agency,
    status: str = Status.PROCESSING,
    received_at=None,
    due_at=None,
    **kw,
) -> Dossier:
    """A dossier created directly in a given state (for tests of readers: stats, sweeps, forms).

    Tests of the workflow itself go through dossiers.services instead.
    """
    n = next(_seq)
    received_at = received_at or timezone.now()
    due_at = due_at or received_at + timedelta(days=3)
    fields = {
        # The daily number has four digits; the agency (made per test) keeps codes unique past 9999.
        "code": kw.pop("code", f"{agency.code}-{received_at:%y%m%d}-{n % 10000:04d}"),
        "procedure": procedure,
        "receiving_agency": agency,
        "competent_agency": kw.pop("competent_agency", agency),
        "applicant_name": "Trần Thị Bình",
        "applicant_id_number": "001190012345",
        "applicant_phone": "0912345678",
        "applicant_address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
        "subject": procedure.name,
        "status": status,
        "received_at": received_at if status != Status.DRAFT else None,
        "clock_started_at": received_at if status != Status.DRAFT else None,
        "due_at": due_at,
        "legal_due_at": kw.pop("legal_due_at", due_at),
        "original_due_at": kw.pop("original_due_at", due_at),
        "tracking_pin": "123456",
    }
    fields.update(kw)
    d = Dossier.objects.create(**fields)
    for step in procedure.steps.all():
        DossierStep.objects.create(dossier=d, order=step.order, name=step.name, role=step.role, agency=agency)
    return d


def citizen(*, national_id: str | None = None, **kw) -> User:
    """A citizen account as the national sign-in creates it: a 12-digit personal ID, name and phone, no
    staff membership."""
    n = next(_seq)
    return user(
        national_id=national_id or f"001{n:09d}",
        full_name=kw.pop("full_name", f"Trần Thị Dân {n}"),
        phone=kw.pop("phone", "0912345678"),
        is_citizen=kw.pop("is_citizen", True),
        **kw,
    )


def result_draft(dossier: Dossier, author: User, content: dict | None = None, version: int = 1):
    """A saved draft of the dossier's result (the handler's draft_result action writes these)."""
    return ResultDraft.objects.create(
        dossier=dossier,
        version=version,
        kind=dossier.procedure.result_kind,
        content=content or {"particulars": "Họ, chữ đệm, tên: Trần Thị Bình"},
        author=author,
        created_at=timezone.now(),
    )
