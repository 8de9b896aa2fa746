"""(Re)build the monthly statistics rollups of every closed month, e.g. after a bulk load of dossiers."""

from django.core.management.base import BaseCommand

from dossiers.stats import rollup


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp thống kê theo tháng cho mọi tháng đã kết thúc."

    def handle(self, *args, **options):
        months = rollup.closed_months_with_data()
        rows = rollup.build_months(months) if months else 0
        rollup.analyze()
        self.stdout.write(f"{len(months)} tháng, {rows} dòng tổng hợp.")
