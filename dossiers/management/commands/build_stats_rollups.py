"""(Re)build the statistics rollups of every closed month and of the current one, e.g. after a bulk load."""

from django.core.management.base import BaseCommand

from dossiers.reporting import rollup


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp thống kê cho mọi tháng đã kết thúc và tháng hiện tại."

    def handle(self, *args, **options):
        months = rollup.closed_months_with_data()
        rows = rollup.build_months(months) if months else 0
        rows += rollup.build_current()
        rollup.analyze()
        self.stdout.write(f"{len(months)} tháng đã kết thúc và tháng hiện tại, {rows} dòng tổng hợp.")
