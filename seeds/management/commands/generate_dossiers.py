"""Generate many realistic dossiers quickly (PostgreSQL COPY) for load tests, reports and demos."""

from django.core.management.base import BaseCommand, CommandError

from procedures.calendar import parse_received
from seeds.generator import Options, Result, generate


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError("a share is between 0 and 1")
    return value


class Command(BaseCommand):
    help = "Sinh hồ sơ mẫu số lượng lớn: generate_dossiers --count 1000000 [--agencies N] [--seed S]."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="Số hồ sơ")
        parser.add_argument("--agencies", type=int, help="Số cơ quan cấp xã (mặc định: các cơ quan hiện có)")
        parser.add_argument(
            "--seed", type=int, default=1, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)"
        )
        parser.add_argument("--open-share", type=_share, default=0.05, help="Tỷ lệ hồ sơ đang giải quyết")
        parser.add_argument("--late-share", type=_share, default=0.01, help="Tỷ lệ hồ sơ trễ hạn")
        parser.add_argument("--online-share", type=_share, default=0.60, help="Tỷ lệ nộp trực tuyến")
        parser.add_argument(
            "--days", type=int, default=365, help="Khoảng thời gian tiếp nhận (ngày, đến hôm qua)"
        )
        parser.add_argument("--end", help="Thời điểm 'hiện tại' của dữ liệu, ví dụ 2026-06-30 17:00")
        parser.add_argument("--batch", type=int, default=25_000, help="Số hồ sơ mỗi giao dịch")

    def handle(self, *args, **o):
        if (
            o["count"] < 1
            or o["days"] < 1
            or o["batch"] < 1
            or (o["agencies"] is not None and o["agencies"] < 1)
        ):
            raise CommandError("--count, --days, --batch và --agencies phải là số dương.")
        opts = Options(
            count=o["count"],
            agencies=o["agencies"],
            seed=o["seed"],
            open_share=o["open_share"],
            late_share=o["late_share"],
            online_share=o["online_share"],
            days=o["days"],
            end=parse_received(o["end"]) if o["end"] else None,
            batch=o["batch"],
        )
        try:
            result = generate(opts, progress=self._progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        seconds = max(result.seconds, 1e-9)
        self.stdout.write(
            f"Xong: {result.dossiers:,} hồ sơ, {result.steps:,} bước, {result.events:,} sự kiện "
            f"({result.rows:,} dòng) trong {result.seconds:.1f} s: {result.rows_per_second:,.0f} dòng/s, "
            f"{result.dossiers / seconds:,.0f} hồ sơ/s."
        )
        self.stdout.write("Trạng thái: " + ", ".join(f"{k} {v:,}" for k, v in result.statuses.most_common()))

    def _progress(self, result: Result, total: int) -> None:
        self.stdout.write(
            f"  {result.dossiers:>9,} / {total:,} hồ sơ · {result.rows:,} dòng · "
            f"{result.rows_per_second:,.0f} dòng/s · {result.seconds:.0f} s"
        )
        self.stdout.flush()
