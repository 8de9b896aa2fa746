"""Prove the monthly statistics rollups equal a recount from raw dossiers; exit 1 on any difference."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Agency
from dossiers.models import StatsMonth
from dossiers.reporting import rollup


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(f"Tháng không hợp lệ: {text!r} (YYYY-MM).") from None


class Command(BaseCommand):
    help = "Đối chiếu bảng tổng hợp thống kê theo tháng với số đếm lại từ hồ sơ (--fix để sửa)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Mã cơ quan (và các cơ quan cấp dưới)")
        parser.add_argument("--from", dest="start", help="YYYY-MM")
        parser.add_argument("--to", dest="end", help="YYYY-MM")
        parser.add_argument("--fix", action="store_true", help="Tính lại các tháng có chênh lệch")

    def handle(self, *args, agency=None, start=None, end=None, fix=False, **options):
        from accounts.scoping import descendant_ids

        if agency:
            found = Agency.objects.filter(code=agency).values_list("id", flat=True).first()
            if found is None:
                raise CommandError(f"Không có cơ quan mã {agency!r}.")
            ids = sorted(descendant_ids([found]))
        else:
            ids = list(Agency.objects.values_list("id", flat=True))
        months = StatsMonth.objects.filter(agency_id__in=ids)
        if start:
            months = months.filter(month__gte=_month(start))
        if end:
            months = months.filter(month__lte=_month(end))
        months = sorted(set(months.values_list("month", flat=True)))
        codes = dict(Agency.objects.filter(id__in=ids).values_list("id", "code"))
        diffs = rollup.differences(ids, months)
        for (agency_id, procedure_id, month), field, kept, fresh in diffs:
            self.stdout.write(
                f"{codes.get(agency_id, agency_id)} {month:%Y-%m} thủ tục {procedure_id} {field}: "
                f"lưu {kept} ≠ đếm lại {fresh}"
            )
        self.stdout.write(f"{len(months)} tháng, {len(ids)} cơ quan, {len(diffs)} chênh lệch.")
        if diffs and fix:
            bad = sorted({m for (_a, _p, m), *_ in diffs})
            rollup.rebuild(bad, {a for (a, _p, _m), *_ in diffs})
            self.stdout.write(f"Đã tính lại {len(bad)} tháng.")
        if diffs:
            raise SystemExit(1)
