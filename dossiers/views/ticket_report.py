"""The supervisor's queue report (per counter and per day), as a page or a CSV/XLSX download."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.errors import DomainError, InvalidInput, field_error
from dossiers.queueing.report import TABLES
from dossiers.reporting.exports import EXPORTERS

from .stats import _agency_choices, _context, _error


@require_GET
@login_required
def ticket_report(request):
    try:
        period, scope, params = _context(request)
        fmt = request.GET.get("format", "html")
        name = request.GET.get("table", "counter")
        if fmt not in ("html", *EXPORTERS) or name not in TABLES:
            raise InvalidInput(
                "Định dạng hoặc bảng không hỗ trợ.",
                "Unsupported format or table.",
                fields={"format": field_error("Chọn html, csv hoặc xlsx.", "Use html, csv or xlsx.")},
            )
    except DomainError as exc:
        return _error(request, exc)
    if fmt in EXPORTERS:
        return EXPORTERS[fmt](TABLES[name](scope, period))
    tables = []
    for key, build in TABLES.items():
        table = build(scope, period)
        tables.append((key, table, [[row.get(k) for k, _label in table.columns] for row in table.rows]))
    return render(
        request,
        "tickets/report.html",
        {
            "period": period,
            "scope": scope,
            "query": urlencode(params),
            "tables": tables,
            "agency_choices": _agency_choices(scope),
        },
    )
