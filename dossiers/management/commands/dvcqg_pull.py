"""Take in the dossiers filed on the National Public Service Portal (what beat's dvcqg-pull does)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dossiers.national.dvcqg_pull import pull
from dossiers.national.links import LinkError


class Command(BaseCommand):
    help = "Lấy hồ sơ nộp trên Cổng Dịch vụ công quốc gia vào hàng chờ tiếp nhận."

    def handle(self, *args, **options):
        try:
            report = pull()
        except LinkError as exc:
            raise CommandError(
                f"Không kết nối được Cổng DVCQG / the portal cannot be reached: {exc}"
            ) from None
        for code, why in report.skipped.items():
            self.stderr.write(f"{code}: bỏ qua / skipped: {why}")
        counts = report.as_dict()
        self.stdout.write(
            f"Mới / new: {counts['created']}, đã có / already here: {counts['already']}, "
            f"bỏ qua / skipped: {counts['skipped']}"
        )
