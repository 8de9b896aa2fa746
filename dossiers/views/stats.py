"""Supervisor dashboard pages: summary, trend chart, tables with exports, ranking and the drill-down list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from config.errors import DomainError, InvalidInput, field_error
from dossiers.documents.registers import default_register_agency
from dossiers.reporting import BUCKETS, bucket_ids, parse_period, report_scope
from dossiers.reporting import indicators as ind
from dossiers.reporting.charts import on_time_trend_svg
from dossiers.reporting.exports import EXPORTERS
from dossiers.reporting.period import preset_period
from dossiers.reporting.tables import COUNT_COLUMNS, NAMES, TITLES, build, build_many

from ..models import Dossier

PAGE_SIZE = 50
BUCKET_LABELS = {**dict(COUNT_COLUMNS), "overdue": gettext_lazy("Quá hạn (đã giải quyết và đang giải quyết)")}


def _error(request, exc: DomainError):
    return render(request, "stats/error.html", {"error": exc}, status=exc.status_code)


def _context(request):
    period = parse_period(request.GET)
    scope = report_scope(request.user, request.GET.get("agency"))
    params = period.as_params()
    if scope.selected:
        params["agency"] = str(scope.selected)
    return period, scope, params


PRESETS = (
    ("month", gettext_lazy("Tháng này")),
    ("quarter", gettext_lazy("Quý này")),
    ("year", gettext_lazy("Năm nay")),
)


def _presets(params: dict) -> list[tuple[str, str]]:
    out = []
    for preset, label in PRESETS:
        p = preset_period(preset)
        out.append((label, urlencode({**params, **p.as_params()})))
    return out


@require_GET
@login_required
def dashboard(request):
    """The supervisor's overview: cards, monthly on-time chart, tables by agency/procedure/sector, ranking."""
    try:
        period, scope, params = _context(request)
    except DomainError as exc:
        return _error(request, exc)
    tables = build_many(
        ("summary", "by-month", "by-agency", "by-procedure", "by-sector", "indicators"), scope, period
    )
    ranking = ind.rank_rows(tables["indicators"].rows)
    query = urlencode(params)
    return render(
        request,
        "stats/dashboard.html",
        {
            "period": period,
            "scope": scope,
            "query": query,
            "register_query": _register_query(request.user, scope, period),
            "params": params,
            "summary": tables["summary"].rows[0],
            "chart": on_time_trend_svg(tables["by-month"].rows),
            "tables": [
                display(tables[n], query) for n in ("by-agency", "by-procedure", "by-sector", "by-month")
            ],
            "ranking": display(_ranking_table(tables["indicators"], ranking), query),
            "indicators": display(tables["indicators"], query),
            "presets": _presets({k: v for k, v in params.items() if k == "agency"}),
            "agency_choices": _agency_choices(scope),
        },
    )


def _register_query(user, scope, period) -> str:
    """The register (Mẫu 07) needs one agency and the period: the one picked, else the supervisor's own."""
    agency = default_register_agency(user, scope.selected)
    return urlencode({"agency": agency, **period.as_params()}) if agency else ""


NO_DOSSIERS = gettext_lazy("Không có hồ sơ")
_RATES = ("on_time_rate", "score")


def _no_dossiers(row: dict) -> bool:
    """A row of a unit (or month) without a dossier in the period: its rate and score read "no dossiers"."""
    if "no_dossiers" in row:
        return row["no_dossiers"]
    return not row.get("received")


def _cells(table, row: dict, query: str, drill_of_row) -> list[dict]:
    cells = []
    for key, _label in table.columns:
        value, link = row.get(key), ""
        if value is None and key in _RATES and _no_dossiers(row):
            value = str(NO_DOSSIERS)
        if key in BUCKETS and row.get(key) and table.name not in ("indicators", "ranking"):
            drill = drill_of_row(row)
            if drill is not None:
                link = f"/dashboard/dossiers/?{_merge(query, {'bucket': key, **drill})}"
        cells.append({"key": key, "value": value, "link": link})
    return cells


def display(table, query: str) -> dict:
    """Header, cells and totals row of a table for the templates; count cells link to the drill-down list."""

    def drill_of_row(row: dict) -> dict | None:
        if table.drill == "agency":
            return {"agency": row["key"]}
        if table.drill:
            return {table.drill: row["key"], "scope": "tree"}
        return {"scope": "tree"} if table.name == "summary" else None

    rows = [_cells(table, row, query, drill_of_row) for row in table.rows]
    total = None
    if table.total is not None:  # the whole scope: the same dossiers as the summary card
        total = _cells(table, table.total, query, lambda _row: {"scope": "tree"})
    return {
        "name": table.name,
        "title": table.title,
        "header": [label for _k, label in table.columns],
        "rows": rows,
        "total": total,
        "query": query,
    }


def _merge(query: str, extra: dict) -> str:
    from urllib.parse import parse_qsl

    params = dict(parse_qsl(query))
    if "agency" in extra:
        params.pop("agency", None)
    params.update({k: str(v) for k, v in extra.items()})
    return urlencode(params)


def _agency_choices(scope):
    from accounts.models import Agency

    return list(Agency.objects.filter(id__in=scope.visible_ids).only("code", "name").order_by("code"))


def _ranking_table(indicators_table, rows):
    from dossiers.reporting.tables import RANKING_COLUMNS, Table

    return Table("ranking", TITLES["ranking"], RANKING_COLUMNS, rows, indicators_table.period, "agency")


@require_GET
@login_required
def table(request, name: str):
    """One table as a page, or as a download with ?format=csv|xlsx."""
    try:
        period, scope, params = _context(request)
        fmt = request.GET.get("format", "html")
        if fmt not in ("html", *EXPORTERS):
            raise InvalidInput(
                "Định dạng không hỗ trợ.",
                "Unsupported format.",
                fields={"format": field_error("Chọn html, csv hoặc xlsx.", "Use html, csv or xlsx.")},
            )
    except DomainError as exc:
        return _error(request, exc)
    tbl = build(name, scope, period)
    if fmt in EXPORTERS:
        return EXPORTERS[fmt](tbl)
    return render(
        request,
        "stats/table_page.html",
        {
            "table": display(tbl, urlencode(params)),
            "period": period,
            "query": urlencode(params),
            "params": params,
            "names": NAMES,
            "titles": TITLES,
        },
    )


def _int_param(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            "Tham số không hợp lệ.",
            "Invalid parameter.",
            fields={name: field_error("Phải là số.", "Must be a number.")},
        ) from None


@require_GET
@login_required
def dossier_list(request):
    """The dossiers behind one cell of the dashboard, overdue first (scoped like the report)."""
    try:
        period, scope, params = _context(request)
        bucket = request.GET.get("bucket") or "received"
        if bucket not in BUCKETS:
            raise InvalidInput(
                "Nhóm hồ sơ không hợp lệ.",
                "Unknown bucket.",
                fields={"bucket": field_error("Không có nhóm này.", "No such bucket.")},
            )
        filters = {k: _int_param(request, k) for k in ("procedure", "sector")}
        page = max(_int_param(request, "page") or 1, 1)
    except DomainError as exc:
        return _error(request, exc)
    ids, total = bucket_ids(
        scope.agency_ids,
        period,
        bucket,
        agency=scope.selected if _narrowed(request) else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        **filters,
    )
    by_id = Dossier.objects.select_related("procedure", "competent_agency").in_bulk(ids)
    dossiers = [by_id[i] for i in ids if i in by_id]
    base = {**params, "bucket": bucket, **{k: v for k, v in filters.items() if v is not None}}
    return render(
        request,
        "stats/dossier_list.html",
        {
            "period": period,
            "bucket": bucket,
            "bucket_label": BUCKET_LABELS.get(bucket, bucket),
            "dossiers": dossiers,
            "total": total,
            "page": page,
            "next": urlencode({**base, "page": page + 1}) if page * PAGE_SIZE < total else "",
            "prev": urlencode({**base, "page": page - 1}) if page > 1 else "",
            "query": urlencode(params),
        },
    )


def _narrowed(request) -> bool:
    """?agency= in the drill-down means that agency's own dossiers (a row of the by-agency table)."""
    return bool(request.GET.get("agency")) and request.GET.get("scope") != "tree"
