"""Import provinces and communes/wards from the vietnam-provinces package (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.importer import AgencyImportError, import_agencies


class Command(BaseCommand):
    help = "Nạp 34 tỉnh/thành phố và 3.321 xã/phường/đặc khu từ gói vietnam-provinces (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            metavar="CODE",
            help="Chỉ nạp tỉnh có mã này (có thể lặp lại), ví dụ --province 01",
        )
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến trình")

    def handle(self, *args, provinces=None, no_progress=False, verbosity=1, **options):
        try:
            result = import_agencies(provinces, progress=verbosity > 0 and not no_progress)
        except AgencyImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Cơ quan: tạo mới {result.created}, cập nhật {result.updated}, không đổi {result.unchanged}."
            )
        )
