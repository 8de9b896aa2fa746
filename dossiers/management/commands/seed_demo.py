"""Seed the demo: staff and agencies, then demo dossiers when seeds/demo_dossiers.py provides them."""

import importlib.util

from django.core.management.base import BaseCommand

from accounts.demo import seed_demo_staff


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: cán bộ, cơ quan và hồ sơ mẫu (chạy lại an toàn)."

    def handle(self, *args, **options):
        staff = seed_demo_staff()
        self.stdout.write(
            self.style.SUCCESS(
                f"Cán bộ mẫu: {len(staff.logins)} tài khoản ({staff.created_users} mới) "
                f"tại {staff.province.name} và {len(staff.wards)} phường."
            )
        )
        if importlib.util.find_spec("seeds.demo_dossiers") is None:
            return
        from seeds import demo_dossiers

        seed = getattr(demo_dossiers, "seed_demo_dossiers", None)
        if seed is not None:
            seed(self.stdout)
