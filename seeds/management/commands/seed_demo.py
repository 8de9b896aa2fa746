"""Seed the demo: staff and agencies, then demo dossiers when seeds/demo_dossiers.py provides them."""

import importlib

from django.core.management.base import BaseCommand

from accounts.demo import seed_demo_staff

DOSSIERS_MODULE = "seeds.demo_dossiers"


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cán bộ, cơ quan và hồ sơ mẫu (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument("--staff-only", action="store_true", help="Chỉ tạo cơ quan và cán bộ")

    def handle(self, *args, staff_only: bool = False, **options):
        staff = seed_demo_staff()
        self.stdout.write(
            self.style.SUCCESS(
                f"Cán bộ mẫu: {len(staff.logins)} tài khoản ({staff.created_users} mới) "
                f"tại {staff.province.name} và {len(staff.wards)} phường."
            )
        )
        if staff_only:
            return
        try:
            module = importlib.import_module(DOSSIERS_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name != DOSSIERS_MODULE:
                raise
            return
        seed = getattr(module, "seed_demo_dossiers", None)
        if seed is not None:
            seed(self.stdout)
