"""Load the 34 provinces and 3,321 communes/wards from the `vietnam-provinces` package into Agency rows.

Real e-ID agency codes (Decision 20/2020/QĐ-TTg) are not in that data, so new rows get deterministic
placeholder codes in the same shape: province `000.00.00.H{pp}`, commune `000.{hi:02d}.{lo:02d}.H{pp}`
where hi/lo are the hundreds and units of the commune's 1-based position (by ward code) within its province.
An operator replaces them with the real codes in the admin. A later import never changes a code: dossier
codes embed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from tqdm import tqdm
from vietnam_provinces import Province, VietNamDivisionType, Ward

from .models import Agency, agency_code_validator

BATCH_SIZE = 500
UPDATED_FIELDS = ["name", "level", "parent"]


class AgencyImportError(Exception):
    """The import cannot go on (nothing is written); the message names the row, in Vietnamese and English."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def province_code_of(province: Province) -> str:
    return f"{int(province.code):02d}"


def ward_code_of(ward: Ward) -> str:
    return f"{int(ward.code):05d}"


def province_agency_code(pp: str) -> str:
    return f"000.00.00.H{pp}"


def commune_agency_code(pp: str, index: int) -> str:
    """Placeholder e-ID code of the index-th commune (1-based) of province pp."""
    return f"000.{index // 100:02d}.{index % 100:02d}.H{pp}"


def checked_code(code: str, what: str) -> str:
    """The code, if it has the e-ID shape the Agency model requires; otherwise the import stops here."""
    try:
        agency_code_validator(code)
    except ValidationError:
        raise AgencyImportError(
            f"Mã định danh {code!r} tạo cho {what} không đúng dạng 000.00.11.H15. "
            f"/ The agency code {code!r} made for {what} does not have the shape 000.00.11.H15."
        ) from None
    return code


def province_name(province: Province) -> str:
    if province.division_type == VietNamDivisionType.TINH and not province.name.startswith("Tỉnh"):
        return f"Tỉnh {province.name}"
    return province.name


def _wards_by_province() -> dict[str, list[Ward]]:
    grouped: dict[str, list[Ward]] = {}
    for ward in Ward.iter_all():
        grouped.setdefault(f"{int(ward.province_code):02d}", []).append(ward)
    for wards in grouped.values():
        wards.sort(key=lambda w: int(w.code))
    return grouped


def _save(rows_new: list[Agency], rows_changed: list[Agency], result: ImportResult) -> None:
    Agency.objects.bulk_create(rows_new, batch_size=BATCH_SIZE)
    Agency.objects.bulk_update(rows_changed, UPDATED_FIELDS, batch_size=BATCH_SIZE)
    result.created += len(rows_new)
    result.updated += len(rows_changed)


def _apply(agency: Agency, values: dict) -> bool:
    """Set values on an existing row; True when something changed. The code is never touched."""
    changed = False
    for field, value in values.items():
        if getattr(agency, field) != value:
            setattr(agency, field, value)
            changed = True
    return changed


@transaction.atomic
def import_agencies(province_codes: Iterable[str] | None = None, *, progress: bool = False) -> ImportResult:
    """Create or update provinces and their communes, matched by province_code (+ ward_code). Idempotent."""
    wanted = {f"{int(c):02d}" for c in province_codes} if province_codes is not None else None
    provinces = [p for p in Province.iter_all() if wanted is None or province_code_of(p) in wanted]
    wards_by_province = _wards_by_province()
    result = ImportResult()
    used_codes = set(Agency.objects.values_list("code", flat=True))

    # Provinces first: communes need their parent's primary key.
    existing = {a.province_code: a for a in Agency.objects.filter(level=Agency.Level.PROVINCE, ward_code="")}
    new, changed = [], []
    for province in provinces:
        pp = province_code_of(province)
        values = {"name": province_name(province), "level": Agency.Level.PROVINCE, "parent_id": None}
        if pp in existing:
            if _apply(existing[pp], values):
                changed.append(existing[pp])
        else:
            code = checked_code(province_agency_code(pp), f"{province_name(province)} ({pp})")
            new.append(Agency(code=code, province_code=pp, ward_code="", **values))
            used_codes.add(code)
    result.unchanged += len(provinces) - len(new) - len(changed)
    _save(new, changed, result)
    parents = dict(
        Agency.objects.filter(level=Agency.Level.PROVINCE, ward_code="").values_list("province_code", "id")
    )

    existing_wards = {
        (a.province_code, a.ward_code): a
        for a in Agency.objects.filter(level=Agency.Level.COMMUNE).exclude(ward_code="")
    }
    total = sum(len(wards_by_province.get(province_code_of(p), [])) for p in provinces)
    new, changed = [], []
    with tqdm(total=total, desc="Xã/phường", unit=" đơn vị", disable=not progress) as bar:
        for province in provinces:
            pp = province_code_of(province)
            index = 0
            for ward in wards_by_province.get(pp, []):
                index += 1
                values = {"name": ward.name, "level": Agency.Level.COMMUNE, "parent_id": parents[pp]}
                current = existing_wards.get((pp, ward_code_of(ward)))
                if current is not None:
                    if _apply(current, values):
                        changed.append(current)
                    else:
                        result.unchanged += 1
                else:
                    # A later package version may insert a ward: then take the next free code.
                    slot = index
                    code = commune_agency_code(pp, slot)
                    while code in used_codes:
                        slot += 1
                        code = commune_agency_code(pp, slot)
                    used_codes.add(code)
                    checked_code(code, f"{ward.name} ({ward_code_of(ward)}, {pp})")
                    new.append(Agency(code=code, province_code=pp, ward_code=ward_code_of(ward), **values))
                bar.update(1)
            if len(new) + len(changed) >= BATCH_SIZE:
                _save(new, changed, result)
                new, changed = [], []
        _save(new, changed, result)
    return result
