"""Writes validated rows in one transaction: idempotent by code, a version bump for each changed procedure."""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from tqdm import tqdm

from ..models import DocumentRequirement, Fee, Procedure, Sector, StepTemplate
from .row import ParsedRow

PROCEDURE_FIELDS = (
    "name", "level", "online_level", "time_unit", "legal_days", "committed_days", "fee_text",
    "online_fee_discount_pct", "result_type", "result_kind", "legal_basis", "requirements_text", "active",
)  # fmt: skip


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> tuple[str, str]:
        c, u, n = len(self.created), len(self.updated), len(self.unchanged)
        prefix_vi, prefix_en = (
            ("Kiểm tra xong (không ghi): ", "Checked (nothing written): ") if self.dry_run else ("", "")
        )
        return (
            f"{prefix_vi}{c} thủ tục mới, {u} cập nhật, {n} không đổi.",
            f"{prefix_en}{c} created, {u} updated, {n} unchanged.",
        )


def _content(p: Procedure) -> tuple:
    return (
        p.sector_id,
        tuple(getattr(p, f) for f in PROCEDURE_FIELDS),
        tuple((r.name, r.originals, r.copies, r.required, r.note) for r in p.requirements.all()),
        tuple((s.name, s.role, s.days) for s in p.steps.all()),
        tuple((f.name, f.amount, f.unit, f.note) for f in p.fees.all()),
        tuple(sorted(a.id for a in p.agencies.all())),
    )


def _wanted(row: ParsedRow, sector_id: int) -> tuple:
    return (
        sector_id,
        tuple(row.fields[f] for f in PROCEDURE_FIELDS),
        tuple(row.requirements),
        tuple(row.steps),
        tuple(row.fees),
        tuple(row.agency_ids),
    )


def _write_children(procedure: Procedure, row: ParsedRow) -> None:
    # Requirements keep their ids (uploaded documents point at them); steps and fees are plain lists.
    existing = list(procedure.requirements.all())
    for i, (name, originals, copies, required, note) in enumerate(row.requirements):
        values = {
            "order": i + 1,
            "name": name,
            "originals": originals,
            "copies": copies,
            "required": required,
            "note": note,
        }
        if i < len(existing):
            for key, value in values.items():
                setattr(existing[i], key, value)
            existing[i].save()
        else:
            DocumentRequirement.objects.create(procedure=procedure, **values)
    DocumentRequirement.objects.filter(id__in=[r.id for r in existing[len(row.requirements) :]]).delete()
    procedure.steps.all().delete()
    StepTemplate.objects.bulk_create(
        StepTemplate(procedure=procedure, order=i + 1, name=n, role=r, days=d)
        for i, (n, r, d) in enumerate(row.steps)
    )
    procedure.fees.all().delete()
    Fee.objects.bulk_create(
        Fee(procedure=procedure, name=n, amount=a, unit=u, note=note) for n, a, u, note in row.fees
    )
    procedure.agencies.set(row.agency_ids)


def _sync_sectors(rows: list[ParsedRow]) -> dict[str, int]:
    names = {r.sector_code: r.sector_name for r in rows}
    sectors = {s.code: s for s in Sector.objects.select_for_update().filter(code__in=names)}
    for code, name in names.items():
        if code not in sectors:
            sectors[code] = Sector.objects.create(code=code, name=name)
        elif sectors[code].name != name:
            sectors[code].name = name
            sectors[code].save(update_fields=["name"])
    return {code: s.id for code, s in sectors.items()}


def write(rows: list[ParsedRow], *, dry_run: bool = False, progress: bool = False) -> ImportReport:
    """Creates or updates the procedures of validated rows in one transaction; unchanged rows are not touched.

    A dry run does the same work and rolls it back, so its report is exactly what a real run would do.
    """
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        with connection.cursor() as cursor:  # one import at a time, across processes
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"procedures.import")])
        sector_ids = _sync_sectors(rows)
        existing = {
            p.code: p
            for p in Procedure.objects.select_for_update(of=("self",))
            .filter(code__in=[r.code for r in rows])
            .prefetch_related("requirements", "steps", "fees", "agencies")
        }
        for row in tqdm(rows, desc="Nhập", unit="thủ tục", disable=not progress):
            procedure = existing.get(row.code)
            sector_id = sector_ids[row.sector_code]
            if procedure is not None and _content(procedure) == _wanted(row, sector_id):
                report.unchanged.append(row.code)
                continue
            if procedure is None:
                procedure = Procedure(code=row.code)
                report.created.append(row.code)
            else:
                procedure.version += 1
                report.updated.append(row.code)
            procedure.sector_id = sector_id
            for key, value in row.fields.items():
                setattr(procedure, key, value)
            procedure.save()
            _write_children(procedure, row)
        if dry_run:
            transaction.set_rollback(True)
    return report
