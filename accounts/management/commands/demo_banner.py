"""Print where the product runs and the demo logins (used by `make run`)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_PROVINCE_CODE, DEMO_WARDS, demo_usernames
from accounts.models import Agency, Membership, Role
from seeds.citizens import DEMO_LOOKUP_ID

PAGES = [
    ("Bàn làm việc (cán bộ)", "desk/"),
    ("Quầy gọi số (cán bộ)", "desk/quay/"),
    ("Tra cứu hồ sơ (người dân)", "tra-cuu/"),
    ("Thống kê (giám sát)", "dashboard/"),
    ("Kết nối quốc gia (giám sát)", "ket-noi/"),
    ("Quản trị", "admin/"),
    ("Tài liệu API", "api/docs/"),
]


class Command(BaseCommand):
    help = "In địa chỉ truy cập và tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url: str, **options):
        base = url if url.endswith("/") else url + "/"
        line = "=" * 72
        out = [line, f"  Một cửa đang chạy tại {base}", line]
        out += [f"  {label:<28} {base}{path}" for label, path in PAGES]
        out += self._queue_lines(base)
        out += ["", f"  Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD})"]
        memberships = (
            Membership.objects.filter(user__username__in=demo_usernames())
            .select_related("user", "agency")
            .order_by("agency__code", "role", "user__username")
        )
        labels = dict(Role.choices)
        for m in memberships:
            out.append(f"  {m.user.username:<22} {labels[m.role]:<20} {m.agency.name}")
        if not memberships:
            out.append("  (chưa có: chạy `manage.py seed_demo`)")
        out += [
            "",
            f"  Tiếp nhận: gõ số định danh {DEMO_LOOKUP_ID} rồi bấm “Tra cứu” để điền sẵn từ CSDL dân cư",
            "  (mô phỏng). Trang “Kết nối” cho biết tình trạng từng kết nối quốc gia.",
        ]
        out += ["", *vneid_lines(base)]
        out += [line, "  Ctrl-C để dừng web, worker, beat, các trình mô phỏng và VNeID (mô phỏng).", line]
        self.stdout.write("\n".join(out))

    def _queue_lines(self, base: str) -> list[str]:
        """The kiosk (lấy số) and the hall display (màn hình gọi số) of each demo ward: public, no sign-in."""
        wards = Agency.objects.filter(
            province_code=DEMO_PROVINCE_CODE, ward_code__in=[code for code, _ in DEMO_WARDS]
        ).order_by("code")
        lines = []
        for ward in wards:
            lines += [
                "",
                f"  {ward.name}",
                f"  {'Lấy số thứ tự (kiosk)':<28} {base}kiosk/{ward.code}/",
                f"  {'Màn hình gọi số':<28} {base}hien-thi/{ward.code}/",
            ]
        return lines


DEMO_CITIZENS = settings.BASE_DIR / "seeds" / "simulators" / "vneid" / "citizens.json"


def vneid_lines(base: str) -> list[str]:
    """How to sign in as a demo citizen at the local VNeID provider (its own list of citizens)."""
    out = [
        f"  Người dân: {base}accounts/login/ → “Đăng nhập bằng VNeID”",
        f"  VNeID (mô phỏng) tại {settings.VNEID_URL}: chọn một công dân dùng thử, mật khẩu {DEMO_PASSWORD}",
    ]
    try:
        citizens = json.loads(DEMO_CITIZENS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    return out + [f"  {c['id']:<22} {c['name']}" for c in citizens]
