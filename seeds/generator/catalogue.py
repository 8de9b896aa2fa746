"""Reference data for generated dossiers: the procedures and agencies they use, and plausible applicants."""

from __future__ import annotations

import random
from dataclasses import dataclass

from accounts.models import Agency
from procedures.models import Procedure

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Hoài", "Gia"]
GIVEN = [
    *("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh"),
    *("Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy"),
]
STREETS = ["Hàng Bạc", "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ"]
PROVINCE_IDS = ["001", "031", "048", "079", "092", "036", "038", "040"]

# Used only when the catalogue is empty: (code, name, days, unit, fee, weight)
DEFAULT_CATALOGUE = [
    ("9.900001", "Chứng thực bản sao từ bản chính", 0, "same_day", 2000, 6),
    ("9.900002", "Đăng ký khai sinh", 0, "same_day", 0, 3),
    ("9.900003", "Cấp bản sao trích lục hộ tịch", 0, "same_day", 8000, 2),
    ("9.900004", "Cấp giấy xác nhận tình trạng hôn nhân", 3, "working_days", 0, 2),
    ("9.900005", "Chứng thực hợp đồng, giao dịch về động sản", 2, "working_days", 50000, 1),
    ("9.900006", "Đăng ký thành lập hộ kinh doanh", 3, "working_days", 100000, 1),
    ("9.900007", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, "calendar_days", 75000, 0.5),
]


@dataclass
class Proc:
    """What the generator needs of one procedure."""

    id: int
    version: int
    days: int
    unit: str
    fee: int
    steps: list[tuple[str, str, int]]  # (name, role, days)
    weight: float
    name: str = ""

    def __post_init__(self):
        self.step_days = tuple(days for _, _, days in self.steps)


def person(rng: random.Random) -> tuple[str, str, str, str]:
    """(name, 12-digit citizen ID, phone, address) of a plausible applicant."""
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    id_number = (
        f"{rng.choice(PROVINCE_IDS)}{rng.randrange(4)}{rng.randrange(100):02d}{rng.randrange(10**6):06d}"
    )
    phone = f"09{rng.randrange(10**8):08d}"
    return name, id_number, phone, f"{rng.randrange(1, 300)} {rng.choice(STREETS)}"


def default_steps(days: int) -> list[tuple[str, str, int]]:
    return [
        ("Tiếp nhận hồ sơ", "clerk", 0),
        ("Thẩm định", "handler", max(days - 1, 0)),
        ("Phê duyệt", "leader", 1 if days else 0),
        ("Trả kết quả", "clerk", 0),
    ]


def ensure_procedures() -> list[Proc]:
    """The active catalogue with its steps and fees; a small default catalogue when there is none."""
    from procedures.models import Fee, Sector, StepTemplate

    if not Procedure.objects.filter(active=True).exists():
        sector = Sector.objects.get_or_create(code="mau", defaults={"name": "Dữ liệu mẫu"})[0]
        for code, name, days, unit, fee, _ in DEFAULT_CATALOGUE:
            p = Procedure.objects.create(code=code, name=name, sector=sector, legal_days=days, time_unit=unit)
            StepTemplate.objects.bulk_create(
                StepTemplate(procedure=p, order=i + 1, name=n, role=r, days=k)
                for i, (n, r, k) in enumerate(default_steps(days))
            )
            if fee:
                Fee.objects.create(procedure=p, name="Lệ phí", amount=fee)
    weights = {code: w for code, *_, w in DEFAULT_CATALOGUE}
    procs = []
    for p in Procedure.objects.filter(active=True).prefetch_related("steps", "fees").order_by("code"):
        steps = [(s.name, s.role, s.days) for s in sorted(p.steps.all(), key=lambda s: s.order)]
        fee = next((f.amount for f in p.fees.all()), 0)
        days = 0 if p.time_unit == Procedure.TimeUnit.SAME_DAY else p.processing_days
        weight = weights.get(p.code, 3 if days == 0 else (2 if days <= 3 else 1))
        procs.append(Proc(p.pk, p.version, days, p.time_unit, fee, steps, weight, p.name))
    return procs


def ensure_agencies(count: int | None) -> list[tuple[int, str]]:
    """(id, code) of the commune agencies receiving dossiers: existing ones first, created up to `count`."""
    existing = list(
        Agency.objects.filter(level=Agency.Level.COMMUNE, active=True)
        .order_by("code")
        .values_list("id", "code")
    )
    wanted = count if count is not None else max(len(existing), 5)
    if len(existing) < wanted:
        province = Agency.objects.filter(level=Agency.Level.PROVINCE).order_by("code").first()
        if province is None:
            province = Agency.objects.create(
                code="000.00.00.G99", name="Tỉnh Mẫu", level=Agency.Level.PROVINCE, province_code="99"
            )
        i = 0
        while len(existing) < wanted:
            i += 1
            code = f"000.{i // 100:02d}.{i % 100:02d}.G99"
            agency, created = Agency.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"Phường Mẫu {i}",
                    "level": Agency.Level.COMMUNE,
                    "parent": province,
                    "province_code": province.province_code,
                    "ward_code": f"G{i:04d}",
                },
            )
            if created:
                existing.append((agency.pk, agency.code))
    return sorted(existing, key=lambda a: a[1])[:wanted]
