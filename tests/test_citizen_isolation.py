"""Citizens are kept apart: citizen B, signed in, walks every route of the site and of the API that names a
dossier, a document or a draft, with citizen A's dossiers (waiting to be received, asked for a supplement,
returned with a signed result), their documents and A's draft. Every answer is a refusal (403/404) and
carries none of A's data, and nothing of A's changes; the lists B can read never name A's dossiers."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.lifecycle import services
from dossiers.models import Document, Dossier, DossierEvent, OnlineDraft, Outcome, Status
from procedures.models import Procedure
from tests import factories
from tests.conftest_worker import media_root  # noqa: F401
from tests.dossiers.portal_helpers import file_online
from tests.test_authorisation_matrix import body, expand, fill, methods_of, project_routes, schema_methods

A_NAME = "Phạm Thị Riêngtư"
PARAMS = ("code", "pk", "draft_id")


@pytest.fixture
def citizens(db, media_root, ward, clerk):  # noqa: F811 (the imported fixture)
    procedure = factories.procedure(name="Đăng ký khai sinh", online_level=Procedure.OnlineLevel.FULL)
    a = factories.citizen(national_id="001190099999", full_name=A_NAME)
    b = factories.citizen(national_id="001190088888")
    waiting = file_online(a, ward, procedure)
    asked = file_online(a, ward, procedure)
    services.receive(asked.code, clerk)
    requirement = procedure.requirements.first()
    services.request_supplement(
        asked.code,
        clerk,
        {"missing": [{"requirement_id": requirement.pk, "name": "Tờ khai", "reason": "Mờ"}]},
    )
    returned = factories.dossier(
        procedure=procedure,
        agency=ward,
        status=Status.RETURNED,
        outcome=Outcome.APPROVED,
        resolved_at=timezone.now(),
        returned_at=timezone.now(),
        applicant_user=a,
        applicant_name=A_NAME,
        channel="online",
    )
    result = Document(dossier=returned, kind=Document.Kind.RESULT, name="ket-qua.pdf", signed=True)
    result.file.save("ket-qua.pdf", ContentFile(b"%PDF-1.4 result of A"), save=False)
    result.verification_token = "token-of-citizen-a"
    result.save()
    draft = OnlineDraft.objects.create(user=a, procedure=procedure, agency=ward, applicant_name=A_NAME)
    return a, b, [waiting, asked, returned], draft


def snapshot(dossiers, draft):
    ids = [d.pk for d in dossiers]
    return (
        sorted(Dossier.objects.filter(pk__in=ids).values_list("pk", "status", "satisfaction")),
        DossierEvent.objects.filter(dossier_id__in=ids).count(),
        Document.objects.filter(dossier_id__in=ids).count(),
        OnlineDraft.objects.filter(pk=draft.pk).values_list("updated_at", flat=True).first(),
    )


def call(client: APIClient, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, "{}", content_type="application/json")


def test_citizen_b_never_reads_or_acts_on_citizen_a(citizens, settings):
    settings.TRACKING_RATE_LIMIT = "100000/60"
    a, b, dossiers, draft = citizens
    before = snapshot(dossiers, draft)
    client = APIClient()
    client.force_login(b)
    documented = schema_methods()
    routes = {r: p for r, p in project_routes().items() if r != "accounts/logout/"}
    leaks, walked = [], 0
    for dossier in dossiers:
        docs = list(Document.objects.filter(dossier=dossier))
        for route, pattern in routes.items():
            names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
            for concrete in expand(route):
                for method in methods_of(route, pattern, documented):
                    for doc in docs if "pk" in names else [None]:
                        if names and not names & set(PARAMS):
                            continue
                        values = {
                            "code": dossier.code,
                            "pk": str(doc.pk if doc else 0),
                            "draft_id": str(draft.pk),
                            "number": "03",
                            "token": "x",
                            "queue": "all",
                            "filter_id": "0",
                            "procedure_code": dossier.procedure.code,
                        }
                        if route.startswith(("inbox/", "api/v1/notifications/")):
                            continue  # notifications are keyed by their own ids (the matrix covers them)
                        url = fill(concrete, values)
                        response = call(client, method, url)
                        walked += 1
                        text, status = body(response), response.status_code
                        where = f"{method} {url} -> {status}"
                        if status >= 500:
                            leaks.append(f"{where}: server error")
                        elif (
                            A_NAME in text
                            or text == "(streamed file)"
                            or (not names and dossier.code in text)
                        ):
                            leaks.append(f"{where}: citizen A's data in the answer")
                        elif names and status not in (403, 404, 405):
                            leaks.append(f"{where}: not refused")
    assert walked > 300  # every portal, desk and API route with a dossier, document or draft in it
    assert not leaks, "\n".join(leaks)
    assert snapshot(dossiers, draft) == before


def test_citizen_a_reaches_the_same_routes(citizens):
    """The refusals above mean something: A gets their own dossier, draft and documents."""
    a, _b, dossiers, draft = citizens
    client = APIClient()
    client.force_login(a)
    waiting, _asked, returned = dossiers
    assert client.get(f"/cong-dan/ho-so/{waiting.code}/").status_code == 200
    assert client.get(f"/cong-dan/nhap/{draft.pk}/").status_code == 200
    assert client.get(f"/api/v1/portal/dossiers/{waiting.code}/").status_code == 200
    assert client.get(f"/api/v1/portal/drafts/{draft.pk}/").status_code == 200
    assert client.get(f"/cong-dan/ho-so/{returned.code}/ket-qua.pdf").status_code == 200
    component = Document.objects.filter(dossier=waiting).first()
    assert client.get(f"/cong-dan/tai-lieu/{component.pk}/").status_code == 200
