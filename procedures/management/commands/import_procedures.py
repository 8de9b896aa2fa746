"""Imports the procedure catalogue from a CSV or XLSX file (all rows or none), with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from procedures.importer import CatalogueImportError, import_catalogue


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục từ tệp CSV/XLSX (Import the procedure catalogue from CSV/XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="seeds/procedures.csv or a .xlsx workbook with the same columns")
        parser.add_argument("--dry-run", action="store_true", help="validate and report without writing")
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, path: str, dry_run: bool, no_progress: bool, **options):
        if not Path(path).is_file():
            raise CommandError(f"Không tìm thấy tệp {path} / File not found: {path}")
        try:
            report = import_catalogue(path, dry_run=dry_run, progress=not no_progress)
        except CatalogueImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{error.vi()}\n  {error.en()}")
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        except DomainError as exc:
            raise CommandError(f"{exc.vi} / {exc.en}") from exc
        vi, en = report.summary()
        self.stdout.write(self.style.SUCCESS(f"{vi}\n{en}"))
