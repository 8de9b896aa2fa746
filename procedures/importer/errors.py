"""Import errors by line and column, every message in both languages."""

from __future__ import annotations

from dataclasses import dataclass

from config.errors import InvalidInput

# Every message in both languages, keyed; the row and column are added by RowError.
MESSAGES = {
    "empty": ("không được để trống.", "must not be empty."),
    "too_long": ("dài quá {max} ký tự.", "longer than {max} characters."),
    "not_int": ("“{value}” không phải số nguyên từ 0 đến {max}.",
                "“{value}” is not a whole number from 0 to {max}."),
    "not_bool": ("“{value}” phải là “có” hoặc “không”.", "“{value}” must be yes (có) or no (không)."),
    "choice": ("giá trị “{value}” không hợp lệ (chọn một trong: {allowed}).",
               "unknown value “{value}” (expected one of: {allowed})."),
    "code": ("mã “{value}” chỉ gồm chữ, số, dấu chấm, gạch.",
             "code “{value}” may hold only letters, digits, dots and dashes."),
    "duplicate": ("mã {value} trùng với dòng {first}.", "code {value} repeats line {first}."),
    "same_day": ("thủ tục trong ngày phải có thời hạn 0.", "a same-day procedure must have 0 days."),
    "same_day_committed": ("thủ tục trong ngày phải có thời hạn cam kết 0 hoặc để trống.",
                           "a same-day procedure must have 0 or empty committed days."),
    "committed": ("thời hạn cam kết ({committed}) dài hơn thời hạn quy định ({legal}).",
                  "committed days ({committed}) exceed the legal days ({legal})."),
    "item_name": ("mục thứ {n} thiếu tên hoặc tên quá dài.",
                  "item {n} has no name or a name that is too long."),
    "role": ("bước thứ {n}: vai trò “{value}” không hợp lệ.", "step {n}: unknown role “{value}”."),
    "steps_total": ("tổng thời gian các bước ({total}) vượt thời hạn ({limit}).",
                    "the steps take {total} days, more than the procedure's {limit}."),
    "amount": ("khoản phí thứ {n}: mức thu “{value}” không hợp lệ (số đồng, không âm).",
               "fee {n}: invalid amount “{value}” (whole dong, not negative)."),
    "fee_unit": ("khoản phí thứ {n}: đơn vị “{value}” không hợp lệ (dossier, copy, page).",
                 "fee {n}: unknown unit “{value}” (dossier, copy, page)."),
    "agency": ("không có cơ quan mã {value}.", "no agency with code {value}."),
    "unknown_column": ("cột không được hỗ trợ.", "unknown column."),
    "missing_column": ("thiếu cột bắt buộc.", "required column is missing."),
}  # fmt: skip


@dataclass
class RowError:
    line: int
    column: str
    message: str
    message_en: str

    def vi(self) -> str:
        return f"dòng {self.line}, cột {self.column}: {self.message}"

    def en(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message_en}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.vi(), "message_en": self.en()}


class CatalogueImportError(InvalidInput):
    code = "import_invalid"

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            f"Tệp có {len(errors)} lỗi; chưa nhập thủ tục nào.",
            f"The file has {len(errors)} error(s); nothing was imported.",
            errors=[e.as_dict() for e in errors],
        )


def row_error(line: int, column: str, key: str, **values) -> RowError:
    vi, en = MESSAGES[key]
    return RowError(line, column, vi.format(**values), en.format(**values))
