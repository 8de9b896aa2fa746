"""Documents at the counter and in the background: receipt (Form 01) latency and e-result throughput.

The e-result runs through the Celery task code path in-process (lock, render, sign, store, event), against
a bare WeasyPrint render + pyHanko sign loop of the same document in the same run (target ratio >= 0.8).
Everything happens in one transaction that is rolled back, with keys and files in a temporary directory.
small=True: a handful of documents, for the test suite.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tests.bench.common import print_table, setup_django

COLUMNS = ["name", "n", "seconds", "per_s", "p50_ms", "p95_ms", "ratio"]


class _Rollback(Exception):
    pass


def _times(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _row(name: str, samples: list[float], ratio: float | str = "") -> dict:
    total = sum(samples)
    ordered = sorted(samples)
    return {
        "name": name,
        "n": len(samples),
        "seconds": total,
        "per_s": len(samples) / total if total else 0.0,
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        "ratio": ratio,
    }


def _fixtures(n: int):
    from django.core.management import call_command

    from accounts.models import Agency, Membership, Role, User
    from dossiers.models import Dossier, Outcome, Status
    from tests import factories

    province = Agency.objects.create(
        code="997.00.00.H97", name="Tỉnh Đo Văn Bản", level="province", province_code="98"
    )
    ward = Agency.objects.create(
        code="997.00.01.H97",
        name="Phường Đo Văn Bản",
        level="commune",
        parent=province,
        province_code="98",
        ward_code="98001",
    )
    clerk = User.objects.create_user(username="bench-documents-clerk", full_name="Lê Văn Đo")
    Membership.objects.create(user=clerk, agency=ward, role=Role.CLERK)
    call_command("create_dev_ca", ward.code, stdout=open("/dev/null", "w"))
    procedure = factories.procedure(code="98.000001", name="Đăng ký kết hôn", days=5)
    receipt = factories.dossier(procedure=procedure, agency=ward, status=Status.RECEIVED, received_by=clerk)
    resolved = [
        factories.dossier(
            procedure=procedure,
            agency=ward,
            status=Status.RESOLVED,
            outcome=Outcome.APPROVED,
            e_result_status=Dossier.EResult.PENDING,
        )
        for _ in range(n)
    ]
    return ward, receipt, resolved


def _measure(small: bool) -> list[dict]:
    from weasyprint import HTML

    from dossiers.documents.forms import contexts
    from dossiers.documents.forms.render import render_html
    from dossiers.documents.issuing import render_form
    from dossiers.documents.signing import sign_pdf
    from dossiers.models import Document
    from dossiers.tasks.results import issue_result

    receipts, results = (3, 3) if small else (100, 50)
    ward, receipt, resolved = _fixtures(results)
    render_form(receipt, "01")  # warm fonts and templates once, as a running server would be
    rows = [_row("receipt_form_01_pdf", _times(lambda: render_form(receipt, "01"), receipts))]

    html = render_html("pdf/result.html", contexts.result(resolved[0], "bench-token"))
    bare = _row(
        "bare_render_and_sign", _times(lambda: sign_pdf(HTML(string=html).write_pdf(), ward.code), results)
    )

    queue = iter(resolved)
    task = _row(
        "e_result_task_path", _times(lambda: issue_result.apply(args=[next(queue).pk]).get(), results)
    )
    issued = Document.objects.filter(dossier__in=resolved, kind="result").count()
    if issued != results:
        raise RuntimeError(f"expected {results} results, got {issued}")
    task["ratio"] = task["per_s"] / bare["per_s"] if bare["per_s"] else 0.0
    bare["ratio"] = 1.0
    rows += [bare, task]
    return rows


def main(small: bool = False) -> list[dict]:
    setup_django()
    from django.db import transaction
    from django.test import override_settings

    rows: list[dict] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        override_settings(
            SIGNING_DIR=Path(tmp) / "pki",
            SIGNING_TRUST_ROOTS=[],
            MEDIA_ROOT=Path(tmp) / "media",
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ),
    ):
        try:
            with transaction.atomic():
                rows = _measure(small)
                raise _Rollback  # leave no bench data behind (the event log cannot be deleted from)
        except _Rollback:
            pass
    print_table(
        "documents: receipt latency and e-result throughput (ratio = task / bare, target >= 0.8)",
        rows,
        COLUMNS,
    )
    return rows


if __name__ == "__main__":
    main()
