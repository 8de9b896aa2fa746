"""Each procedure names the kind of its result (the template its draft is written on): from the catalogue
file's result_kind column when given, otherwise read from how the result is named."""

from __future__ import annotations

import pytest

from procedures.importer import COLUMNS, import_catalogue
from procedures.models import Procedure, ResultKind, result_kind_for

from .test_import_procedures import SEED, as_csv, errors_of, row

D, C, A = ResultKind.DECISION, ResultKind.CERTIFICATE, ResultKind.ANSWER


@pytest.mark.parametrize(
    ("result_type", "kind"),
    [
        ("Quyết định trợ cấp xã hội hàng tháng", D),
        ("Quyết định khen thưởng kèm Giấy khen", D),
        ("Giấy chứng nhận kết hôn (02 bản chính)", C),
        ("Trích lục khai tử (bản chính)", C),
        ("Giấy phép xây dựng", C),
        ("Bản sao có chứng thực", C),
        ("Văn bản được chứng thực", C),
        ("Thông báo kết quả đăng ký thường trú", A),
        ("Văn bản trả lời về việc hòa giải", A),
        ("", C),
    ],
)
def test_the_kind_is_read_from_the_results_name(result_type, kind):
    assert result_kind_for(result_type) == kind


def test_the_seed_catalogue_has_every_kind(db):
    import_catalogue(SEED)
    kinds = dict(Procedure.objects.values_list("code", "result_kind"))
    assert kinds["1.001776"] == D  # Quyết định trợ cấp xã hội hàng tháng
    assert kinds["1.000894"] == C  # Giấy chứng nhận kết hôn
    assert kinds["DP.CTR.001"] == A  # Thông báo kết quả đăng ký thường trú


@pytest.mark.parametrize(("given", "kind"), [("answer", A), ("Quyết định", D), ("", C)])
def test_a_result_kind_column_sets_the_kind_by_code_or_label(db, given, kind):
    import_catalogue(as_csv([row(result_kind=given)], columns=COLUMNS))
    assert Procedure.objects.get(code="1.001193").result_kind == kind


def test_an_unknown_result_kind_is_reported_by_line_and_column(db):
    errors = errors_of(as_csv([row(result_kind="biên bản")], columns=COLUMNS))
    assert len(errors) == 1 and "result_kind" in errors[0] and "biên bản" in errors[0]
    assert not Procedure.objects.exists()
