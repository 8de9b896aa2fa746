"""Checks on what an applicant gives at intake: identity, contacts and the components provided."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from config.errors import InvalidInput, field_error
from dossiers.lifecycle.workflow import MAX_MISSING_ITEMS, missing_items_errors
from procedures.models import DocumentRequirement, Procedure

# First three digits of a citizen ID: the province of birth registration (Circular 59/2021/TT-BCA, 63 codes).
PROVINCE_ID_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096".split()
)
_PHONE_PREFIXES = ("03", "05", "07", "08", "09")
_PHONE_NOISE = re.compile(r"[\s.\-()]")


def citizen_id_error(value: str) -> dict | None:
    """None when `value` is a plausible 12-digit citizen ID, else the field error."""
    if not re.fullmatch(r"\d{12}", value):
        return field_error(
            "Số định danh cá nhân phải gồm đúng 12 chữ số.", "The citizen ID must be 12 digits."
        )
    if value[:3] not in PROVINCE_ID_CODES:
        return field_error(
            f"Mã tỉnh {value[:3]} ở đầu số định danh không hợp lệ.",
            f"The province code {value[:3]} at the start of the citizen ID is not valid.",
        )
    return None


def normalise_phone(value: str) -> str | None:
    """A Vietnamese mobile number as 10 digits starting 0, or None when it is not one (+84 accepted)."""
    digits = _PHONE_NOISE.sub("", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if re.fullmatch(r"\d{10}", digits) and digits.startswith(_PHONE_PREFIXES):
        return digits
    return None


def validate_applicant(data: dict) -> dict:
    """The applicant's fields, trimmed and normalised; raises InvalidInput naming every bad field at once."""
    clean = {
        "name": " ".join(str(data.get("name") or "").split()),
        "id_number": str(data.get("id_number") or "").strip(),
        "phone": str(data.get("phone") or "").strip(),
        "email": str(data.get("email") or "").strip().lower(),
        "address": " ".join(str(data.get("address") or "").split()),
    }
    errors: dict[str, dict] = {}
    if not clean["name"]:
        errors["name"] = field_error("Cần nhập họ và tên người nộp.", "The applicant's name is required.")
    elif len(clean["name"]) > 255:
        errors["name"] = field_error("Họ và tên quá dài (tối đa 255 ký tự).", "Name too long (255 max).")
    if error := citizen_id_error(clean["id_number"]):
        errors["id_number"] = error
    if clean["phone"]:
        phone = normalise_phone(clean["phone"])
        if phone is None:
            errors["phone"] = field_error(
                "Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 03, 05, 07, 08, 09 hoặc +84).",
                "Invalid phone number (10 digits starting 03, 05, 07, 08, 09, or +84).",
            )
        else:
            clean["phone"] = phone
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = field_error("Địa chỉ thư điện tử không hợp lệ.", "Invalid email address.")
    if len(clean["address"]) > 500:
        errors["address"] = field_error("Địa chỉ quá dài (tối đa 500 ký tự).", "Address too long (500 max).")
    clean["birth_date"], birth_error = _birth_date(data.get("birth_date"))
    if birth_error:
        errors["birth_date"] = birth_error
    if errors:
        raise InvalidInput(
            "Thông tin người nộp chưa hợp lệ.", "The applicant's details are not valid.", fields=errors
        )
    return clean


def _birth_date(value) -> tuple[date | None, dict | None]:
    """An optional date of birth (a date or yyyy-mm-dd), from 1900 to today."""
    if value in (None, ""):
        return None, None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            return None, field_error(
                "Ngày sinh không hợp lệ (yyyy-mm-dd).", "Invalid date of birth (yyyy-mm-dd)."
            )
    if isinstance(value, datetime):
        value = value.date()
    if not date(1900, 1, 1) <= value <= timezone.localdate():
        return None, field_error(
            "Ngày sinh phải từ năm 1900 đến hôm nay.", "The date of birth must be 1900 to today."
        )
    return value, None


def missing_required(procedure: Procedure, provided_ids: list[int]) -> list[DocumentRequirement]:
    """The procedure's required components not among `provided_ids`; unknown ids are refused."""
    requirements = list(procedure.requirements.all())  # prefetched by callers that can
    known = {r.pk for r in requirements}
    unknown = sorted(set(provided_ids) - known)
    if unknown:
        raise InvalidInput(
            "Thành phần hồ sơ không thuộc thủ tục này.",
            "Components do not belong to this procedure.",
            fields={
                "provided_requirement_ids": field_error(
                    f"Mã thành phần không hợp lệ: {', '.join(map(str, unknown))}.",
                    f"Unknown component ids: {', '.join(map(str, unknown))}.",
                )
            },
        )
    provided = set(provided_ids)
    return [r for r in requirements if r.required and r.pk not in provided]


def validate_missing_list(procedure: Procedure, missing: list[dict]) -> list[dict]:
    """A supplement list: each item names a component (requirement id or a free name) and a reason."""
    if not isinstance(missing, list) or not missing:
        raise InvalidInput(
            "Cần liệt kê đầy đủ các thành phần phải bổ sung.",
            "List every component to supplement.",
            fields={"missing": field_error("Danh sách không được để trống.", "The list must not be empty.")},
        )
    if len(missing) > MAX_MISSING_ITEMS:
        raise InvalidInput(
            f"Tối đa {MAX_MISSING_ITEMS} thành phần trong một lần yêu cầu bổ sung.",
            f"At most {MAX_MISSING_ITEMS} components in one supplement request.",
            fields={"missing": field_error("Danh sách quá dài.", "The list is too long.")},
        )
    by_id = {r.pk: r for r in procedure.requirements.all()}
    clean, errors = [], missing_items_errors(missing)
    for i, item in enumerate(missing):
        item = item if isinstance(item, dict) else {}
        req_id = item.get("requirement_id")
        req = by_id.get(req_id) if isinstance(req_id, int) else None
        name = " ".join(str(item.get("name") or (req.name if req else "")).split())
        reason = " ".join(str(item.get("reason") or "").split())
        if req_id is not None and req is None and f"missing.{i}.requirement_id" not in errors:
            errors[f"missing.{i}.requirement_id"] = field_error(
                "Thành phần không thuộc thủ tục này.", "Component does not belong to this procedure."
            )
        if not name:
            errors[f"missing.{i}.name"] = field_error("Cần nêu tên giấy tờ.", "Name the component.")
        if not reason:
            errors[f"missing.{i}.reason"] = field_error(
                "Cần nêu lý do bổ sung.", "Give the reason for the supplement."
            )
        clean.append({"requirement_id": req.pk if req else None, "name": name, "reason": reason})
    if errors:
        raise InvalidInput(
            "Danh sách thành phần cần bổ sung chưa hợp lệ.",
            "The supplement list is not valid.",
            fields=errors,
        )
    return clean
