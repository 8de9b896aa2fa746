"""Specification of the catalogue import: CSV and XLSX, every bad row reported, all or nothing, idempotent."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from config.errors import InvalidInput
from procedures.importer import COLUMNS, CatalogueImportError, import_catalogue
from procedures.models import DocumentRequirement, Procedure, Sector
from tests import factories

SEED = Path(__file__).resolve().parents[2] / "seeds" / "procedures.csv"


def row(**overrides) -> dict:
    base = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "sector_code": "hotich",
        "sector_name": "Hộ tịch",
        "level": "commune",
        "online_level": "full",
        "time_unit": "same_day",
        "legal_days": "0",
        "committed_days": "",
        "fee_text": "Miễn lệ phí",
        "fees": "",
        "online_fee_discount_pct": "",
        "result_type": "Giấy khai sinh",
        "legal_basis": "Luật Hộ tịch 2014",
        "conditions": "",
        "components": "Tờ khai;1;0 | Giấy chứng sinh;1;0;có;bản chính",
        "steps": "Tiếp nhận;clerk;0 | Thẩm định;handler;0 | Ký;leader;0",
        "agencies": "",
        "active": "có",
        "note": "",
    }
    base.update(overrides)
    return base


def as_csv(rows: list[dict], columns=COLUMNS) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    data = io.BytesIO(out.getvalue().encode("utf-8-sig"))
    data.name = "catalogue.csv"
    return data


def as_xlsx(rows: list[dict]) -> io.BytesIO:
    """A workbook as a spreadsheet user saves it: day counts typed as numbers where they are numbers."""
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in rows:
        values = []
        for col in COLUMNS:
            value = r.get(col, "")
            if col in ("legal_days", "committed_days") and str(value).isdigit():
                value = float(value)  # spreadsheets store numbers as floats
            values.append(value if value != "" else None)
        sheet.append(values)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "catalogue.xlsx"
    return data


def errors_of(source) -> list[str]:
    with pytest.raises(CatalogueImportError) as caught:
        import_catalogue(source)
    return [e.en() for e in caught.value.errors]


# Reading both formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_a_file_creates_procedures_with_components_steps_and_fees(db, make):
    rows = [
        row(),
        row(
            code="2.000815",
            name="Chứng thực bản sao từ bản chính",
            sector_code="chungthuc",
            sector_name="Chứng thực",
            online_level="partial",
            fees="Trang 1–2;2000;page | Từ trang 3;1.000;trang;tối đa 200.000 đồng/bản",
        ),
        row(
            code="2.000720",
            name="Đăng ký thành lập hộ kinh doanh",
            time_unit="Ngày làm việc",
            legal_days="3",
            committed_days="2",
            steps="Tiếp nhận;clerk;0 | Thẩm định;handler;1 | Phê duyệt;Lãnh đạo;1",
            online_fee_discount_pct="50",
            fees="Lệ phí;100,000",
        ),
    ]

    report = import_catalogue(make(rows))

    assert sorted(report.created) == ["1.001193", "2.000720", "2.000815"]
    birth = Procedure.objects.get(code="1.001193")
    assert [(r.name, r.originals, r.copies, r.required, r.note) for r in birth.requirements.all()] == [
        ("Tờ khai", 1, 0, True, ""),
        ("Giấy chứng sinh", 1, 0, True, "bản chính"),
    ]
    assert [(s.order, s.role) for s in birth.steps.all()] == [(1, "clerk"), (2, "handler"), (3, "leader")]
    copy = Procedure.objects.get(code="2.000815")
    assert [(f.amount, f.unit) for f in copy.fees.all()] == [(2000, "page"), (1000, "page")]
    business = Procedure.objects.get(code="2.000720")
    assert (business.time_unit, business.legal_days, business.committed_days) == ("working_days", 3, 2)
    assert (business.online_fee_discount_pct, business.fees.get().amount) == (50, 100_000)
    assert business.steps.last().role == "leader"
    assert Sector.objects.count() == 2
    assert birth.search_text == "1.001193 dang ky khai sinh"


def test_the_seed_catalogue_imports_at_least_thirty_complete_procedures(db):
    report = import_catalogue(SEED)

    assert len(report.created) >= 30
    procedures = Procedure.objects.prefetch_related("requirements", "steps")
    assert all(p.requirements.all() and p.steps.all() and p.legal_basis for p in procedures)
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.time_unit, birth.legal_days, birth.online_level) == ("same_day", 0, "full")
    assert Procedure.objects.get(code="2.000635").fees.get().amount == 8000


# Refusals ---------------------------------------------------------------------------------------------


BAD_ROWS = [
    ({"name": ""}, "line 3, column name (B): must not be empty."),
    ({"level": "district"}, "line 3, column level (E): unknown value “district”"),
    ({"online_level": "mostly"}, "line 3, column online_level (F): unknown value “mostly”"),
    ({"time_unit": "weeks"}, "line 3, column time_unit (G): unknown value “weeks”"),
    (
        {"time_unit": "working_days", "legal_days": "3", "committed_days": "5"},
        "line 3, column committed_days (I): committed days (5) exceed the legal days (3).",
    ),
    ({"legal_days": "2"}, "line 3, column legal_days (H): a same-day procedure must have 0 days."),
    ({"legal_days": "ba"}, "line 3, column legal_days (H): “ba” is not a whole number"),
    ({"legal_days": ""}, "line 3, column legal_days (H): must not be empty."),
    ({"fees": "Lệ phí;-5000"}, "line 3, column fees (K): fee 1: invalid amount “-5000”"),
    ({"fees": "Lệ phí;12.5"}, "line 3, column fees (K): fee 1: invalid amount “12.5”"),
    ({"fees": "Lệ phí;abc"}, "line 3, column fees (K): fee 1: invalid amount “abc”"),
    ({"fees": "Lệ phí;1000;tờ"}, "line 3, column fees (K): fee 1: unknown unit “tờ”"),
    ({"steps": "Thẩm định;janitor;0"}, "line 3, column steps (Q): step 1: unknown role “janitor”"),
    (
        {"time_unit": "working_days", "legal_days": "2", "steps": "Thẩm định;handler;3"},
        "line 3, column steps (Q): the steps take 3 days, more than the procedure's 2.",
    ),
    ({"components": "Tờ khai;một"}, "line 3, column components (P): “một” is not a whole number"),
    ({"components": "Tờ khai | ;1;0"}, "line 3, column components (P): item 2 has no name"),
    ({"agencies": "000.99.99.X99"}, "line 3, column agencies (R): no agency with code 000.99.99.X99."),
    ({"active": "maybe"}, "line 3, column active (S): “maybe” must be yes (có) or no (không)."),
    ({"online_fee_discount_pct": "150"}, "line 3, column online_fee_discount_pct (L): “150” is not a whole"),
    ({"code": "1.001 193"}, "line 3, column code (A): code “1.001 193” may hold only"),
    ({"code": "1.001193"}, "line 3, column code (A): code 1.001193 repeats line 2."),
]


@pytest.mark.parametrize(("overrides", "expected"), BAD_ROWS, ids=[str(o) for o, _ in BAD_ROWS])
@pytest.mark.parametrize("make", [as_csv, as_xlsx], ids=["csv", "xlsx"])
def test_a_bad_row_is_reported_by_line_and_column_and_nothing_is_written(db, make, overrides, expected):
    source = make([row(), row(**{"code": "1.000656", "name": "Đăng ký khai tử", **overrides})])

    messages = errors_of(source)

    assert any(m.startswith(expected) for m in messages), messages
    assert not Procedure.objects.exists()
    assert not Sector.objects.exists()


def test_every_bad_row_is_reported_at_once_in_both_languages(db):
    source = as_csv([row(name=""), row(code="1.000656"), row(code="1.000894", level="huyện", legal_days="1")])

    with pytest.raises(CatalogueImportError) as caught:
        import_catalogue(source)

    errors = caught.value.errors
    assert [(e.line, e.column) for e in errors] == [
        (2, "name (B)"), (4, "level (E)"), (4, "legal_days (H)"),
    ]  # fmt: skip
    assert errors[0].vi() == "dòng 2, cột name (B): không được để trống."
    assert errors[0].en() == "line 2, column name (B): must not be empty."
    assert caught.value.as_dict()["errors"][0]["message_en"] == errors[0].en()


def test_a_missing_or_unknown_column_is_refused_before_any_row(db):
    source = as_csv([row()], columns=[c for c in COLUMNS if c != "time_unit"] + ["colour"])

    assert errors_of(source) == [
        "line 1, column colour (U): unknown column.",
        "line 1, column time_unit: required column is missing.",
    ]


def test_nothing_is_written_when_one_row_of_many_is_bad(db):
    Procedure.objects.create(code="1.001193", name="Cũ", sector=factories.sector())
    rows = [row(name="Đăng ký khai sinh (mới)"), *[row(code=f"9.{n:06d}") for n in range(20)], row(code="")]

    errors_of(as_csv(rows))

    assert list(Procedure.objects.values_list("code", "name", "version")) == [("1.001193", "Cũ", 1)]


def test_an_unreadable_file_is_a_clear_error(db):
    broken = io.BytesIO(b"not a workbook")
    broken.name = "catalogue.xlsx"
    with pytest.raises(InvalidInput) as caught:
        import_catalogue(broken)
    assert caught.value.vi == "Không đọc được tệp XLSX."


# Idempotence and versions --------------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(db):
    import_catalogue(SEED)
    before = {p.code: (p.version, p.updated_at) for p in Procedure.objects.all()}
    requirement_ids = set(DocumentRequirement.objects.values_list("id", flat=True))

    report = import_catalogue(SEED)

    assert report.created == report.updated == []
    assert len(report.unchanged) == len(before)
    assert {p.code: (p.version, p.updated_at) for p in Procedure.objects.all()} == before
    assert set(DocumentRequirement.objects.values_list("id", flat=True)) == requirement_ids


def test_the_same_content_as_csv_and_xlsx_is_the_same_catalogue(db):
    rows = [row(), row(code="2.000720", time_unit="working_days", legal_days="3", committed_days="2")]
    import_catalogue(as_csv(rows))

    report = import_catalogue(as_xlsx(rows))

    assert sorted(report.unchanged) == ["1.001193", "2.000720"]


def test_the_seed_saved_as_a_workbook_is_the_same_catalogue(db):
    import_catalogue(SEED)
    with SEED.open(encoding="utf-8") as seed:
        rows = list(csv.DictReader(seed))

    report = import_catalogue(as_xlsx(rows))

    assert (report.created, report.updated, len(report.unchanged)) == ([], [], len(rows))


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Đăng ký khai sinh cho trẻ em"},
        {"fees": "Lệ phí;5000"},
        {"components": "Tờ khai;1;0"},
        {"steps": "Tiếp nhận;clerk;0 | Ký;leader;0"},
        {"online_level": "partial"},
        {"active": "không"},
    ],
)
def test_a_changed_procedure_is_updated_and_its_version_bumped_once(db, change):
    import_catalogue(as_csv([row(), row(code="1.000656", name="Đăng ký khai tử")]))

    report = import_catalogue(as_csv([row(**change), row(code="1.000656", name="Đăng ký khai tử")]))

    assert (report.updated, report.unchanged) == (["1.001193"], ["1.000656"])
    assert Procedure.objects.get(code="1.001193").version == 2
    assert Procedure.objects.get(code="1.000656").version == 1
    import_catalogue(as_csv([row(**change)]))
    assert Procedure.objects.get(code="1.001193").version == 2


def test_an_update_keeps_the_ids_of_components_that_documents_point_at(db):
    import_catalogue(as_csv([row()]))
    first = Procedure.objects.get().requirements.first()

    import_catalogue(as_csv([row(components="Tờ khai (mẫu mới);1;0")]))

    procedure = Procedure.objects.get()
    assert [(r.id, r.name) for r in procedure.requirements.all()] == [(first.id, "Tờ khai (mẫu mới)")]


def test_agencies_are_linked_by_code(db, province, ward):
    import_catalogue(as_csv([row(agencies=f"{province.code} | {ward.code}")]))

    assert set(Procedure.objects.get().agencies.all()) == {province, ward}


def test_a_dry_run_reports_what_would_change_and_writes_nothing(db):
    import_catalogue(as_csv([row()]))

    report = import_catalogue(as_csv([row(name="Tên mới"), row(code="1.000656")]), dry_run=True)

    assert (report.created, report.updated, report.dry_run) == (["1.000656"], ["1.001193"], True)
    assert list(Procedure.objects.values_list("code", "name", "version")) == [
        ("1.001193", "Đăng ký khai sinh", 1)
    ]


# The command ---------------------------------------------------------------------------------------------


def test_the_command_imports_a_file_and_reports_counts(db, tmp_path, capsys):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(as_csv([row()]).getvalue())

    call_command("import_procedures", str(path), "--no-progress")

    out = capsys.readouterr().out
    assert "1 thủ tục mới, 0 cập nhật, 0 không đổi." in out
    assert "1 created, 0 updated, 0 unchanged." in out


def test_the_command_lists_bad_rows_in_both_languages_and_fails(db, tmp_path, capsys):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(as_xlsx([row(level="district")]).getvalue())

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_procedures", str(path), "--no-progress")

    err = capsys.readouterr().err
    assert "dòng 2, cột level (E): giá trị “district” không hợp lệ" in err
    assert "line 2, column level (E): unknown value “district”" in err
    assert not Procedure.objects.exists()


def test_the_command_refuses_a_missing_file(db):
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_procedures", "/nonexistent/catalogue.csv")


def test_every_message_has_the_same_placeholders_in_both_languages():
    from string import Formatter

    from procedures.importer import MESSAGES

    def names(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    assert {key: names(vi) for key, (vi, _) in MESSAGES.items()} == {
        key: names(en) for key, (_, en) in MESSAGES.items()
    }
