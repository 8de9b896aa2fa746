"""Compare our dossiers with the National Public Service Portal's view; --resend queues the fixes."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError

from dossiers.national import dvcqg_reconcile
from dossiers.national.dvcqg_payload import PORTAL_TZ
from dossiers.national.links import LinkError

KIND_TEXT = {
    dvcqg_reconcile.MISSING: "chưa có trên Cổng / missing there",
    dvcqg_reconcile.STATUS: "trạng thái khác / status differs",
    dvcqg_reconcile.DUE: "ngày hẹn trả khác / due date differs",
}


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=PORTAL_TZ)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Đối chiếu hồ sơ với Cổng Dịch vụ công quốc gia (--resend: gửi lại phần chênh lệch)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="YYYY-MM-DD: chỉ hồ sơ tạo từ ngày này / only dossiers created since"
        )
        parser.add_argument("--resend", action="store_true", help="Gửi lại qua hàng đợi / queue the fixes")

    def handle(self, *args, since=None, resend=False, **options):
        try:
            differences = dvcqg_reconcile.compare(_since(since))
        except LinkError as exc:
            raise CommandError(
                f"Không kết nối được Cổng DVCQG / the portal cannot be reached: {exc}"
            ) from None
        for diff in differences:
            theirs = f" (Cổng / portal: {diff.theirs})" if diff.theirs else ""
            self.stdout.write(f"{diff.code}\t{KIND_TEXT[diff.kind]}\t{diff.ours}{theirs}")
        dossiers = len({d.dossier_id for d in differences})
        self.stdout.write(f"Chênh lệch / differences: {len(differences)} ({dossiers} hồ sơ / dossiers)")
        if resend and differences:
            queued = dvcqg_reconcile.resend(differences)
            self.stdout.write(f"Đã đưa vào hàng đợi / queued: {queued}")
