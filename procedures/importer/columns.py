"""The catalogue file's format: columns in seed-file order, the required ones, separators inside a cell."""

# Column order of the seed file; the same headers work in the first sheet of an XLSX workbook.
COLUMNS = [
    "code", "name", "sector_code", "sector_name", "level", "online_level", "time_unit", "legal_days",
    "committed_days", "fee_text", "fees", "online_fee_discount_pct", "result_type", "legal_basis",
    "conditions", "components", "steps", "agencies", "active", "note", "result_kind",
]  # fmt: skip
REQUIRED_COLUMNS = {
    "code", "name", "sector_code", "sector_name", "level", "online_level", "time_unit", "legal_days",
}  # fmt: skip
ITEM_SEP, FIELD_SEP = "|", ";"
NUMBER_COLUMNS = ("legal_days", "committed_days", "online_fee_discount_pct")
