"""Demo staff: one real province with three real wards, each staffed for every role (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .importer import import_agencies
from .models import Agency, Membership, Role, User

DEMO_PASSWORD = "motcua2026"
DEMO_PROVINCE_CODE = "01"  # Thành phố Hà Nội
# (ward code in vietnam-provinces, slug used in usernames)
DEMO_WARDS = [("00070", "hoankiem"), ("00073", "cuanam"), ("00004", "badinh")]

ROLE_PREFIX = {
    Role.CLERK: "motcua",
    Role.HANDLER: "chuyenvien",
    Role.LEADER: "lanhdao",
    Role.SUPERVISOR: "giamsat",
}
WARD_STAFF_NAMES = {
    "hoankiem": ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Quang Huy", "Phạm Thị Hương"],
    "cuanam": ["Hoàng Thị Mai", "Vũ Đức Thắng", "Đặng Văn Hải", "Bùi Thị Thu"],
    "badinh": ["Đỗ Thị Ngọc", "Ngô Văn Long", "Dương Minh Tuấn", "Lý Thị Hạnh"],
}
PROVINCE_SUPERVISOR = ("giamsat.hanoi", "Trịnh Văn Sơn")
CITIZEN = ("congdan", "Trần Thị Bình")
# The office printed under a leader's signature on the results they sign.
LEADER_TITLE = "Phó Chủ tịch Ủy ban nhân dân"
ADMIN = ("admin", "Quản trị hệ thống")


def demo_usernames() -> list[str]:
    staff = [f"{prefix}.{slug}" for _, slug in DEMO_WARDS for prefix in ROLE_PREFIX.values()]
    return [*staff, PROVINCE_SUPERVISOR[0], CITIZEN[0], ADMIN[0]]


@dataclass
class DemoLogin:
    username: str
    full_name: str
    role: str
    agency: Agency


@dataclass
class DemoStaff:
    province: Agency
    wards: list[Agency]
    logins: list[DemoLogin] = field(default_factory=list)
    created_users: int = 0


def demo_agencies() -> tuple[Agency, list[Agency]]:
    """The demo province and its three wards, importing that province when the agencies are not loaded."""
    if not Agency.objects.filter(province_code=DEMO_PROVINCE_CODE, level=Agency.Level.PROVINCE).exists():
        import_agencies([DEMO_PROVINCE_CODE])
    province = Agency.objects.get(province_code=DEMO_PROVINCE_CODE, level=Agency.Level.PROVINCE, ward_code="")
    ward_codes = [code for code, _ in DEMO_WARDS]
    found = Agency.objects.filter(province_code=DEMO_PROVINCE_CODE, ward_code__in=ward_codes)
    by_code = {a.ward_code: a for a in found}
    return province, [by_code[code] for code, _ in DEMO_WARDS]


def _ensure_user(username: str, full_name: str, **flags) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


@transaction.atomic
def seed_demo_staff() -> DemoStaff:
    """Create (or find) the demo agencies, users and memberships; a second call creates nothing."""
    province, wards = demo_agencies()
    staff = DemoStaff(province=province, wards=wards)
    wanted: list[tuple[str, str, str, Agency, dict]] = []
    for ward, (_, slug) in zip(wards, DEMO_WARDS, strict=True):
        for (role, prefix), name in zip(ROLE_PREFIX.items(), WARD_STAFF_NAMES[slug], strict=True):
            wanted.append((f"{prefix}.{slug}", name, role, ward, {}))
    wanted.append((*PROVINCE_SUPERVISOR, Role.SUPERVISOR, province, {}))
    wanted.append((*CITIZEN, Role.CITIZEN, wards[0], {}))
    wanted.append((*ADMIN, Role.ADMIN, province, {"is_staff": True, "is_superuser": True}))
    for username, full_name, role, agency, flags in wanted:
        user, created = _ensure_user(username, full_name, **flags)
        staff.created_users += created
        title = LEADER_TITLE if role == Role.LEADER else ""
        Membership.objects.get_or_create(user=user, agency=agency, role=role, defaults={"title": title})
        staff.logins.append(DemoLogin(username, full_name, role, agency))
    return staff
