"""The dashboard's tables: one builder per table, shared by the HTML pages, CSV/XLSX exports and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dossiers.reporting import indicators as ind
from dossiers.reporting.period import Period
from dossiers.reporting.report import aggregate, aggregate_sets
from dossiers.reporting.scope import Scope


@dataclass
class Table:
    name: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[dict]
    period: Period
    drill: str | None = None  # the drill-down filter for the key column: agency / procedure / sector
    extra: dict = field(default_factory=dict)
    # The totals row of a table by agency, procedure, sector or month: the summary of the same period (for
    # months not their sum: a dossier open across months is in each of them, once in the period).
    total: dict | None = None


# In the order of the identity the dashboard states: received = processed + in progress + withdrawn + stopped;
# refusals at intake after it (never received, outside every rate).
COUNT_COLUMNS = [
    ("received", _("Tiếp nhận")),
    ("received_new", _("Tiếp nhận mới")),
    ("carried_over", _("Kỳ trước chuyển qua")),
    ("processed", _("Đã giải quyết")),
    ("early", _("Trước hạn")),
    ("on_time", _("Đúng hạn")),
    ("late", _("Quá hạn")),
    ("in_progress", _("Đang giải quyết")),
    ("in_progress_on_time", _("Đang giải quyết trong hạn")),
    ("in_progress_late", _("Đang giải quyết quá hạn")),
    ("withdrawn", _("Rút hồ sơ")),
    ("stopped", _("Dừng xử lý")),
    ("refused", _("Không được tiếp nhận")),
    ("supplemented", _("Có yêu cầu bổ sung")),
    ("avg_days", _("Thời gian TB (ngày làm việc)")),
    ("p90_days", _("Phân vị 90 (ngày làm việc)")),
    ("on_time_rate", _("Tỷ lệ đúng hạn (%)")),
]
INDICATOR_COLUMNS = [
    ("code", _("Mã")),
    ("name", _("Cơ quan")),
    ("received", _("Hồ sơ tiếp nhận")),
    ("online_filing_rate", _("Nộp trực tuyến (%)")),
    ("online_procedures_rate", _("Thủ tục trực tuyến (%)")),
    ("procedures_full", _("Toàn trình")),
    ("procedures_partial", _("Một phần")),
    ("e_result_rate", _("Kết quả điện tử (%)")),
    ("digitisation_rate", _("Số hoá (%)")),
    ("reuse_rate", _("Tái sử dụng (%)")),
    ("online_payment_rate", _("Thanh toán trực tuyến (%)")),
    ("satisfaction_rate", _("Hài lòng (%)")),
    ("on_time_rate", _("Đúng hạn (%)")),
    ("score", _("Điểm (/100)")),
]
RANKING_COLUMNS = [("rank", _("Hạng")), *INDICATOR_COLUMNS, ("grade_label", _("Xếp loại"))]
TITLES = {
    "summary": _("Tổng hợp"),
    "by-agency": _("Theo cơ quan"),
    "by-procedure": _("Theo thủ tục"),
    "by-sector": _("Theo lĩnh vực"),
    "by-month": _("Theo tháng"),
    "indicators": _("Chỉ số phục vụ"),
    "ranking": _("Xếp hạng xã, phường"),
}
_DIMENSION = {
    "summary": "summary",
    "by-agency": "agency",
    "by-procedure": "procedure",
    "by-sector": "sector",
    "by-month": "month",
}
_KEY_LABEL = {"agency": _("Cơ quan"), "procedure": _("Thủ tục"), "sector": _("Lĩnh vực"), "month": _("Tháng")}
NAMES = list(TITLES)


TOTAL_LABEL = _("Tổng cộng")


def build(name: str, scope: Scope, period: Period) -> Table:
    """Compute one table for a scope and period (KeyError for an unknown name)."""
    title = TITLES[name]
    if name == "indicators":
        return Table(
            name, title, INDICATOR_COLUMNS, ind.indicators(scope.agency_ids, period), period, "agency"
        )
    if name == "ranking":
        return Table(name, title, RANKING_COLUMNS, ind.ranking(scope.agency_ids, period), period, "agency")
    return build_many([name], scope, period)[name]


def build_many(names, scope: Scope, period: Period) -> dict[str, Table]:
    """Several tables with the fewest scans: one GROUPING SETS query for the summary (also every table's
    totals row) and the agency, procedure and sector tables, one for the months; the indicators reuse the
    rows by agency."""
    names = list(names)
    dims = [_DIMENSION[n] for n in names if n in _DIMENSION and n != "by-month"]
    if any(n in _DIMENSION for n in names):
        dims.append("summary")
    if any(n in ("indicators", "ranking") for n in names):
        dims.append("agency")
    with_indicators = any(n in ("indicators", "ranking") for n in names)
    rows = aggregate_sets(scope.agency_ids, period, dims, with_indicators) if dims else {}
    tables = {}
    for name in names:
        title = TITLES[name]
        if name in ("indicators", "ranking"):
            ind_rows = ind.indicators(scope.agency_ids, period, by_agency=rows["agency"])
            if name == "ranking":
                tables[name] = Table(name, title, RANKING_COLUMNS, ind.rank_rows(ind_rows), period, "agency")
            else:
                tables[name] = Table(name, title, INDICATOR_COLUMNS, ind_rows, period, "agency")
            continue
        by = _DIMENSION[name]
        tables[name] = _count_table(
            name,
            by,
            rows[by] if by in rows else aggregate(scope.agency_ids, period, by),
            period,
            rows["summary"][0],
        )
    return tables


def _count_table(name: str, by: str, rows: list[dict], period: Period, summary: dict) -> Table:
    title = TITLES[name]
    if by == "summary":
        return Table(name, title, COUNT_COLUMNS, rows, period)
    key_cols = [("name", _KEY_LABEL[by])] if by == "month" else [("code", _("Mã")), ("name", _KEY_LABEL[by])]
    total = {**summary, "key": None, "code": "", "name": str(TOTAL_LABEL)}
    return Table(
        name, title, key_cols + COUNT_COLUMNS, rows, period, None if by == "month" else by, total=total
    )
