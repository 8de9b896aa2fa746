"""Print the appointment date for a receipt: the date first, then the days skipped and why."""

from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from procedures.calendar import UNITS, WORKING_DAYS, due_preview, parse_days, parse_received, procedure_terms

_UNIT_VI = {"working_days": "ngày làm việc", "calendar_days": "ngày", "same_day": "trong ngày"}


class Command(BaseCommand):
    help = "Tính ngày hẹn trả kết quả: duedate --received '2026-02-13 10:00' --days 5 (hoặc --procedure MÃ)."

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help="Thời điểm tiếp nhận, ví dụ '2026-02-13 10:00'")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--days", help="Số ngày giải quyết (0 = trong ngày)")
        group.add_argument("--procedure", help="Mã thủ tục, ví dụ 1.001193")
        parser.add_argument("--unit", choices=UNITS, default=WORKING_DAYS, help="Đơn vị khi dùng --days")

    def handle(self, *args, received, days, procedure, unit, **options):
        try:
            received_at = parse_received(received)
            if procedure:
                days, unit, info = procedure_terms(procedure)
            else:
                days, info = parse_days(days), None
            preview = due_preview(received_at, days, unit)
        except DomainError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc

        out = self.stdout
        out.write(preview["due"])
        if info:
            out.write(f"Thủ tục {info['code']} · {info['name']}")
        label = _UNIT_VI["same_day"] if preview["days"] == 0 else f"{preview['days']} {_UNIT_VI[unit]}"
        out.write(f"Tiếp nhận {received_at:%d/%m/%Y %H:%M}, thời hạn {label}.")
        out.write(f"{preview['rule_text']} ({preview['rule_text_en']})")
        out.write(f"Bắt đầu tính từ {preview['counts_from']}; hẹn trả {preview['due_at']}.")
        if preview["skipped"]:
            out.write(f"Bỏ qua {len(preview['skipped'])} ngày nghỉ:")
            for note in preview["skipped"]:
                out.write(f"  {note['date']}  {note['reason']} ({note['reason_en']})")
        else:
            out.write("Không có ngày nghỉ nào trong khoảng này.")
