"""The authorisation matrix: every route of the URL configuration and of the OpenAPI schema, asked by every
role about a dossier of its own agency and one of another agency. Nothing of the other agency's dossiers,
documents, notifications or actions answers with success, and anonymous callers reach only the public
routes. New routes are covered as they are added: the matrix is generated, not listed.

One dataset serves the whole module (built once, rolled back at the end); each role is one test, so a
failure lists every leak of that role at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.lifecycle.workflow import ACTIONS
from dossiers.models import (
    Counter,
    Document,
    Notification,
    OnlineDraft,
    Outcome,
    PaymentTransaction,
    ServiceArea,
    Status,
)
from dossiers.models.saved_filter import SavedFilter
from tests import factories

# Routes anyone may call without signing in (tracking, verification, sign-in, the API schema and docs,
# health, language choice). Everything else answers anonymous callers 401/403 or sends them to the login.
PUBLIC = {
    "healthz",
    "i18n/setlang/",
    "accounts/login/",
    "accounts/logout/",
    "accounts/vneid/",  # citizen sign-in: to VNeID, and back (refused without a state of this session)
    "accounts/vneid/callback/",
    "api/v1/auth/token/",
    "api/v1/public/track",
    "api/v1/verify/",
    "api/v1/verify/<str:token>/",
    "verify/",
    "verify/<str:token>/",
    "tra-cuu/",
    "track/",
    "tra-cuu/danh-gia/",
    "tra-cuu/<str:code>/ket-qua.pdf",
    "api/schema/",
    "api/docs/",
    "",  # home: sends an anonymous caller to the login
    # the procedure catalogue and the due-date calendar: public information, no dossier in them
    "api/v1/procedures/",
    "api/v1/procedures/sectors/",
    "api/v1/procedures/<str:code>/",
    "api/v1/calendar/due-date",
    # the citizen portal's catalogue of online procedures
    "cong-dan/thu-tuc/",
    "cong-dan/thu-tuc/<str:procedure_code>/",
    # the queue: the kiosk and the hall display of an agency, a ticket's slip by its random token
    "kiosk/<str:agency_code>/",
    "hien-thi/<str:agency_code>/",
    "hien-thi/<str:agency_code>/bang/",
    "so-thu-tu/<str:token>/",
    "so-thu-tu/<str:token>/trang-thai/",
    # the payment platform's confirmations: authenticated by their MaXacThuc checksum, not by a session
    "thanh-toan/thong-bao/",
}
# Routes whose parameter names public information (a procedure, an agency), not a dossier: starting a draft
# of a procedure is any signed-in citizen's right, and the kiosk and the display of any agency are public.
NOT_DOSSIER_DATA = {
    "api/v1/procedures/<str:code>/",
    "cong-dan/thu-tuc/<str:procedure_code>/",
    "cong-dan/thu-tuc/<str:procedure_code>/nop/",
    "kiosk/<str:agency_code>/",
    "hien-thi/<str:agency_code>/",
    "hien-thi/<str:agency_code>/bang/",
}
ROLES = ["anonymous", "citizen", "clerk", "handler", "leader", "supervisor", "admin"]
REFUSED = {403, 404}
OTHER_APPLICANT = "Lê Thị Ngoàiphường"  # appears nowhere but in the other agency's dossier


def walk(patterns, prefix: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def project_routes() -> dict[str, URLPattern]:
    """Every route but the admin's (Django's own, staff only, covered by its own tests)."""
    return {route: p for route, p in walk(get_resolver().url_patterns) if not route.startswith("admin/")}


def schema_methods() -> dict[str, list[str]]:
    """The documented methods of each API route, keyed like the URL configuration ('api/v1/...<str:x>/')."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path.lstrip("/"): [m.upper() for m in ops if m != "parameters"]
        for path, ops in schema["paths"].items()
    }


def as_schema_path(route: str) -> str:
    """'api/v1/documents/<int:pk>/download' -> 'api/v1/documents/{id}/download' (the schema's spelling)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}")


@dataclass
class World:
    users: dict
    own: object
    other: object
    other_document: object
    other_result: object
    other_notification: object
    other_agency: object
    other_filter: object
    other_draft: object
    other_counter: object
    other_payment: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        province = factories.agency(name="Tỉnh Ma Trận")
        ward_a = factories.agency(parent=province, name="Phường Ma Trận A")
        ward_b = factories.agency(parent=province, name="Phường Ma Trận B")
        procedure = factories.procedure(name="Thủ tục ma trận")
        users = {role: factories.user(role=role, agency=ward_a) for role in ROLES[2:6]}
        users["citizen"] = factories.user(role=Role.CITIZEN, agency=ward_a)
        users["admin"] = factories.user(role=Role.ADMIN, agency=ward_a, is_staff=True)
        own = factories.dossier(
            procedure=procedure, agency=ward_a, status=Status.PROCESSING, applicant_user=users["citizen"]
        )
        other = factories.dossier(
            procedure=procedure,
            agency=ward_b,
            status=Status.RESOLVED,
            outcome=Outcome.APPROVED,
            resolved_at=timezone.now(),
            applicant_name=OTHER_APPLICANT,
            tracking_pin="987654",
            applicant_user=factories.citizen(),  # filed online by another citizen
        )
        other_document = Document.objects.create(
            dossier=other, kind=Document.Kind.COMPONENT, name="giay-to.pdf", file="x/none.pdf", digitised=True
        )
        other_result = Document.objects.create(
            dossier=other,
            kind=Document.Kind.RESULT,
            name="ket-qua.pdf",
            file="x/none-result.pdf",
            signed=True,
            digitised=True,
            verification_token="matrix-token-of-ward-b",
        )
        stranger = factories.user(role=Role.CLERK, agency=ward_b)
        other_notification = Notification.objects.create(
            user=stranger, dossier=other, kind=Notification.Kind.RECEIPT, title=f"Hồ sơ {other.code}"
        )
        other_filter = SavedFilter.objects.create(
            user=stranger, name="Của phường B", params={"status": ["received"]}
        )
        other_draft = OnlineDraft.objects.create(
            user=other.applicant_user, procedure=procedure, agency=ward_b, applicant_name=OTHER_APPLICANT
        )
        other_counter = Counter.objects.create(agency=ward_b, number=1)
        other_counter.areas.add(ServiceArea.objects.create(agency=ward_b, name="Hộ tịch", letter="A"))
        other_payment = PaymentTransaction.objects.create(
            dossier=other,
            payer=stranger,
            code="TT-MATRIX-B",
            amount=10000,
            state=PaymentTransaction.State.PAID,
        )
        yield World(
            users,
            own,
            other,
            other_document,
            other_result,
            other_notification,
            ward_b,
            other_filter,
            other_draft,
            other_counter,
            other_payment,
        )
        transaction.set_rollback(True)


def values_for(route: str, w: World, dossier) -> dict[str, str]:
    """Path parameters pointing at `dossier` and its documents (the other agency's, or the user's own)."""
    theirs = dossier is w.other
    values = {
        "code": dossier.code,
        "pk": str(w.other_document.pk if theirs else 0),
        "number": "01",
        "token": w.other.code,  # the dossier code must not open the verify page (the token alone does)
        "queue": "all",
        "filter_id": str(w.other_filter.pk),  # another user's saved filter: never theirs to read or delete
        "draft_id": str(w.other_draft.pk),  # another citizen's online draft
        "procedure_code": dossier.procedure.code,
        "agency_code": w.other_agency.code,
        "counter_id": str(w.other_counter.pk),  # another agency's counter: never called from here
        "reference": w.other_payment.code,  # another applicant's payment
    }
    if route.startswith(("api/v1/notifications/", "inbox/")):
        values["pk"] = str(w.other_notification.pk)
    if route == "api/v1/procedures/<str:code>/":
        values["code"] = dossier.procedure.code
    return values


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


def expand(route: str) -> list[str]:
    """A route per action name where the action is a path parameter (the desk's action page)."""
    if "<str:action>" in route:
        return [route.replace("<str:action>", name) for name in ACTIONS]
    return [route]


def methods_of(route: str, pattern: URLPattern, documented: dict[str, list[str]]) -> list[str]:
    if as_schema_path(route) in documented:
        return documented[as_schema_path(route)]
    view = getattr(pattern.callback, "cls", None)
    if view is not None:  # an API view the schema leaves out: its own methods
        return [m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)]
    return ["GET", "POST"]  # an HTML view: both, whatever it accepts


def call(client: APIClient, method: str, url: str, w: World):
    query = {"agency": w.other_agency.pk, "from": "2026-01-01", "to": "2026-12-31"}
    if method == "GET":
        return client.get(url, query)
    return client.generic(method, url + f"?agency={w.other_agency.pk}", "{}", content_type="application/json")


def to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def body(response) -> str:
    if getattr(response, "streaming", False):
        return "(streamed file)"
    return response.content.decode(errors="replace")


def leaks_of(role: str, w: World) -> list[str]:
    client = APIClient()
    if role != "anonymous":
        client.force_login(w.users[role])
    documented = schema_methods()
    leaks = []
    for route, pattern in project_routes().items():
        if route == "accounts/logout/" and role != "anonymous":
            continue  # it would end the session the rest of the matrix runs in
        for concrete in expand(route):
            for method in methods_of(route, pattern, documented):
                url = fill(concrete, values_for(concrete, w, w.other))
                response = call(client, method, url, w)
                status, text = response.status_code, body(response)
                where = f"{role} {method} {url} -> {status}"
                if status >= 500:
                    leaks.append(f"{where}: server error")
                elif (
                    OTHER_APPLICANT in text
                    or text == "(streamed file)"
                    or (
                        "<" not in route and w.other.code in text  # a list or report naming the dossier
                    )
                ):
                    leaks.append(f"{where}: the other agency's data in the answer")
                elif role == "anonymous" and route not in PUBLIC:
                    if status not in (401, 403, 405) and not to_login(response):
                        leaks.append(f"{where}: answered without signing in")
                elif "<" in route and route not in NOT_DOSSIER_DATA:
                    # names another agency's dossier, document or notification (or a code where the public
                    # route needs its token or PIN): refused, never a success nor a redirect to one
                    if status not in REFUSED and status != 405 and not to_login(response):
                        leaks.append(f"{where}: not refused")
    return leaks


def test_every_api_route_of_the_schema_is_in_the_matrix():
    routes = {as_schema_path(r) for r in project_routes()}
    assert set(schema_methods()) - routes == set()


def test_the_public_allow_list_names_real_routes():
    assert PUBLIC <= set(project_routes())


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_agencys_dossier(world, db, settings, role):
    settings.TRACKING_RATE_LIMIT = "100000/60"  # the matrix asks the public routes many times
    leaks = leaks_of(role, world)
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("role", ["clerk", "handler", "leader", "supervisor", "citizen"])
def test_the_matrix_can_see_success_when_it_is_due(world, db, role):
    """The refusals above mean something: the same requests about the user's own dossier succeed."""
    client = APIClient()
    client.force_login(world.users[role])
    assert client.get(f"/api/v1/dossiers/{world.own.code}/").status_code == 200
    assert client.get(f"/dossiers/{world.own.code}/").status_code == 200
    if role == "citizen":  # the applicant's own payment page
        assert client.get(f"/thanh-toan/{world.own.code}/").status_code == 200


# Pages for some roles only, whatever the agency: every other signed-in role is refused.
ROLE_ONLY = {
    "ket-noi/": ("GET", {"supervisor", "admin"}),
    "ket-noi/gui-lai/": ("POST", {"supervisor", "admin"}),
    "desk/intake/lookup/": ("POST", {"clerk"}),
    "api/v1/population/lookup/": ("POST", {"clerk"}),
}


@pytest.mark.parametrize("role", ROLES[1:])
def test_role_only_pages_refuse_the_other_roles(world, db, role):
    assert set(ROLE_ONLY) <= set(project_routes())
    client = APIClient()
    client.force_login(world.users[role])
    for route, (method, allowed) in ROLE_ONLY.items():
        status = call(client, method, "/" + route, world).status_code
        if role in allowed:
            assert status != 403, f"{role} {method} /{route} -> {status}"
        else:
            assert status in REFUSED, f"{role} {method} /{route} -> {status}"
