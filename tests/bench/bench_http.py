"""Public tracking and the clerk's queue under load against a bare indexed read; counter intake via the API.

Runs gunicorn (2 x cores + 1 workers) against a bench database holding generated dossiers (1 M; 10 k in small
mode) and drives it with wrk from the same machine. Figures are measured side by side in one run, so their
ratios are what counts.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from . import http_load

FULL_ROWS, SMALL_ROWS = 1_000_000, 10_000

SETUP_SNIPPET = """
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from rest_framework.authtoken.models import Token
from accounts.models import Membership, Role, User
from dossiers.models import Dossier
top = (Dossier.objects.values("receiving_agency").annotate(n=Count("id")).order_by("-n").first())
user, _ = User.objects.get_or_create(username="bench.clerk", defaults={"full_name": "Cán bộ đo tải"})
Membership.objects.get_or_create(user=user, agency_id=top["receiving_agency"], role=Role.CLERK)
token, _ = Token.objects.get_or_create(user=user)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(token.key, session.session_key, top["receiving_agency"])
"""


def _intake_body(agency_id: int) -> str:
    rows = http_load.sql(
        "SELECT p.code, array_agg(r.id) FROM procedures_procedure p "
        "JOIN procedures_documentrequirement r ON r.procedure_id = p.id AND r.required "
        "WHERE p.time_unit = 'working_days' GROUP BY p.code ORDER BY p.code LIMIT 1"
    )
    code, requirement_ids = rows[0]
    return json.dumps(
        {
            "procedure": code,
            "applicant": {
                "name": "Lê Văn Đo",
                "id_number": "001190012345",
                "phone": "0912345678",
                "address": "1 Tràng Tiền, Hà Nội",
            },
            "provided_requirement_ids": requirement_ids,
            "channel": "counter",
        },
        ensure_ascii=False,
    )


def main(small: bool = False) -> list[dict]:
    rows = SMALL_ROWS if small else FULL_ROWS
    seconds = 3 if small else 20
    http_load.prepare_rows(rows)
    token, session_key, agency_id = http_load.manage("shell", "-c", SETUP_SNIPPET, capture=True).split()[-3:]
    sample = http_load.sql(
        "SELECT code, tracking_pin FROM dossiers_dossier TABLESAMPLE SYSTEM (5) LIMIT 2000"
    ) or http_load.sql("SELECT code, tracking_pin FROM dossiers_dossier LIMIT 2000")
    bare = [f"/bench/bare?code={code}" for code, _ in sample]
    track = [f"/api/v1/public/track?code={code}&pin={pin}" for code, pin in sample]
    queue_api = [
        "/api/v1/dossiers/?status=processing",
        "/api/v1/dossiers/?overdue=true",
        "/api/v1/dossiers/?status=resolved",
    ]
    queue_html = ["/desk/q/in_progress/", "/desk/q/overdue/", "/desk/q/to_return/"]
    search_html = _search_paths(int(agency_id))
    auth = {"Authorization": f"Token {token}"}
    cookie = {"Cookie": f"sessionid={session_key}"}

    if not (http_load.ROOT / "var" / "staticfiles" / "staticfiles.json").exists():
        http_load.manage("collectstatic", "--noinput", "-v", "0")  # pages name the hashed static files
    results = []
    with http_load.gunicorn() as base:
        runs = [
            ("bare indexed read (ceiling)", bare, {}, None),
            ("public tracking API", track, {}, None),
            ("clerk queue API (token)", queue_api, auth, None),
            ("clerk queue page (HTML)", queue_html, cookie, None),
            ("desk search page (HTML)", search_html, cookie, None),
        ]
        for name, paths, headers, body in runs:
            http_load.wrk(base, paths[:50], seconds=1, headers=headers)  # warm-up
            figures = http_load.wrk(base, paths, seconds=seconds, headers=headers, post_body=body)
            results.append({"bench": name, "rows": rows, **figures})
        # One connection: no request waits for another, so p50 is the server's own time (plus loopback).
        for name, paths in [
            ("bare read, 1 connection", bare),
            ("queue page, 1 connection", queue_html),
            ("desk search, 1 connection", search_html),
        ]:
            figures = http_load.wrk(base, paths, seconds=seconds, headers=cookie, connections=1)
            results.append({"bench": name, "rows": rows, **figures})
        transfer = http_load.page_transfer(base, "/desk/q/in_progress/", cookie)
    # The same page counting its tabs on every request (no cached counts): what a clerk waits for right
    # after a change in the agency, side by side with the cached figure above.
    with http_load.gunicorn(DESK_COUNTS_CACHE_SECONDS="0") as uncached:
        http_load.wrk(uncached, queue_html, seconds=1, headers=cookie, connections=1)  # warm-up
        figures = http_load.wrk(uncached, queue_html, seconds=seconds, headers=cookie, connections=1)
        results.append({"bench": "queue page, counted, 1 conn.", "rows": rows, **figures})
    with http_load.gunicorn() as base:
        before = http_load.dossier_count()
        figures = http_load.wrk(
            base,
            ["/api/v1/dossiers/"],
            seconds=seconds,
            headers=auth,
            connections=4,
            post_body=_intake_body(int(agency_id)),
        )
        created = http_load.dossier_count() - before
        results.append(
            {
                "bench": "counter intake API (POST)",
                "rows": rows,
                **figures,
                "created_per_s": round(created / seconds, 1),
            }
        )

    ceiling = results[0]["rps"] or 1.0
    for row in results:
        row["x_bare"] = round(row["rps"] / ceiling, 2)
    print(f"\nHTTP under load, {rows:,} dossiers, gunicorn 2×cores+1 workers, wrk 1 thread, {seconds} s each")
    print(f"{'bench':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x bare':>7}")
    for row in results:
        print(
            f"{row['bench']:32} {row['rps']:9.0f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f} "
            f"{row['errors']:7d} {row['x_bare']:7.2f}"
            + (f"  created {row['created_per_s']}/s" if "created_per_s" in row else "")
        )
    print(
        f"desk page after the first visit: {transfer['html_bytes']:,} bytes of HTML "
        f"({transfer['encoding']}), {transfer['static_bytes']:,} bytes of static files (Cache-Control: "
        f"{transfer['static_cache_control']}); {transfer['first_visit_static_bytes']:,} bytes of "
        "static files on the first visit"
    )
    results.append({"bench": "desk page transfer", "rows": rows, **transfer})
    return results


def _search_paths(agency_id: int) -> list[str]:
    """What a clerk types: names without diacritics, code tails, citizen IDs, phones of the agency's rows."""
    picked = http_load.sql(
        "SELECT lower(immutable_unaccent(applicant_name)), right(code, 11), right(code, 4), "
        "applicant_id_number, applicant_phone FROM dossiers_dossier WHERE receiving_agency_id = %s "
        "ORDER BY id DESC LIMIT 50",
        (agency_id,),
    )
    paths = []
    for name, tail, seq, id_number, phone in picked:
        for q in (name, tail, seq, id_number, phone):
            paths.append("/desk/search/?q=" + quote(q))
    return paths
