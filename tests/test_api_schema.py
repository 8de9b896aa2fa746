"""The OpenAPI schema documents every operation once: unique operationIds, the statistics tables each with
their own summary and description, and the public verify endpoints with their JSON answers."""

from __future__ import annotations

from collections import Counter

import pytest
from drf_spectacular.generators import SchemaGenerator

STATS = ["summary", "by-agency", "by-procedure", "by-sector", "by-month", "indicators", "ranking"]
VERIFY = [("/api/v1/verify/{token}/", "get"), ("/api/v1/verify/", "post")]
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for url, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield url, method, operation


def test_every_operation_id_is_unique(schema):
    ids = Counter(op["operationId"] for _, _, op in operations(schema))
    assert not [i for i, n in ids.items() if n > 1]


@pytest.mark.parametrize("table", STATS)
def test_each_statistics_table_has_its_own_summary_and_description(schema, table):
    operation = schema["paths"][f"/api/v1/stats/{table}"]["get"]
    others = [schema["paths"][f"/api/v1/stats/{t}"]["get"] for t in STATS if t != table]
    assert operation["summary"] and operation["description"]
    assert operation["operationId"] == f"stats_{table.replace('-', '_')}"
    assert operation["summary"] not in [o["summary"] for o in others]
    assert operation["description"] not in [o["description"] for o in others]


def _resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


@pytest.mark.parametrize("url, method", VERIFY)
def test_the_verify_endpoints_document_their_json_answers(schema, url, method):
    operation = schema["paths"][url][method]
    ok = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"valid", "signed", "message", "message_en", "dossier_code"} <= set(ok["properties"])
    errors = [s for s in operation["responses"] if s.startswith("4")]
    assert errors
    for status in errors:
        body = _resolve(schema, operation["responses"][status]["content"]["application/json"]["schema"])
        assert "error" in body["properties"]
