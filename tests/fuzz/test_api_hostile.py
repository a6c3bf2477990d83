"""The REST API: every parameter and field its OpenAPI schema documents, sent every hostile
value, answers below 500, and a refusal is a 400 in the API's error format
``{"code": "…", "errors": {"field": ["message"]}}``.

The operations, their parameters and their request bodies' fields are read from
the schema the API serves (``/api/schema/``), so a new endpoint is fuzzed the day
it is routed. The caller is an integration account of agency A (it may file and
read), as the API's real callers are.
"""

from __future__ import annotations

import pytest

from complaints.models import ComplaintCategory
from tests.complaints.api_support import filing, integration
from tests.fuzz.hostile import (
    FORM,
    HOSTILE,
    MULTIPART,
    RAW_JSON_BODIES,
    Findings,
    client,
    form_body,
    json_body,
    json_values,
    multipart_body,
    query_string,
)

pytestmark = pytest.mark.django_db


def api_error_problem(response) -> str | None:
    """None when the body is ``{"code": str, "errors": {field: [str, …]}}``."""
    try:
        body = response.json()
    except ValueError:
        return "not JSON"
    errors = body.get("errors") if isinstance(body, dict) else None
    ok = (
        isinstance(body.get("code") if isinstance(body, dict) else None, str)
        and isinstance(errors, dict)
        and errors
        and all(
            isinstance(v, list) and v and all(isinstance(m, str) for m in v)
            for v in errors.values()
        )
    )
    return None if ok else response.content.decode(errors="replace")[:200]


@pytest.fixture
def api(centre, agency_a):
    token, _client = integration(agency=agency_a)
    web = client()
    web.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    schema = web.get("/api/schema/", {"format": "json"}).json()
    kind = ComplaintCategory.objects.get(code="attitude")
    bodies = {"/api/v1/complaints/": filing(agency_a, kind)}
    return web, schema, bodies


def operations(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_the_api_schema_lists_the_operations_the_fuzz_pass_needs(api):
    _web, schema, _bodies = api
    found = {(method, path) for path, method, _op in operations(schema)}
    assert ("post", "/api/v1/complaints/") in found
    assert ("get", "/api/v1/complaint-stats/") in found


def test_no_api_parameter_fails_on_hostile_values(api):
    web, schema, _bodies = api
    findings = Findings()
    for path, method, op in operations(schema):
        if method != "get":
            continue
        params = op.get("parameters", [])
        plain = path.replace("{id}", "1")
        for param in (p for p in params if p["in"] == "query"):
            for hostile in HOSTILE:
                target = f"{plain}?{query_string({}, param['name'], hostile)}"
                findings.ask(
                    f"GET {path} {param['name']}={hostile}",
                    lambda t=target: web.get(t),
                    error_format=api_error_problem,
                )
        for param in (p for p in params if p["in"] == "path"):
            for hostile in HOSTILE:
                target = path.replace("{" + param["name"] + "}", hostile.query)
                findings.ask(
                    f"GET {path} <{param['name']}>={hostile}",
                    lambda t=target: web.get(t),
                    error_format=api_error_problem,
                )
    assert findings.asked > 100
    assert not findings.lines, findings.report()


def _fields(schema, op) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else {}
    return sorted(component.get("properties", {}))


def test_no_api_body_field_fails_on_hostile_values(api):
    web, schema, bodies = api
    findings = Findings()
    for path, method, op in operations(schema):
        if method not in ("post", "put", "patch"):
            continue
        send = getattr(web, method)
        base = bodies.get(path, {})
        content = op.get("requestBody", {}).get("content", {})
        for field in _fields(schema, op):
            for value_name, value_json in json_values():
                body = json_body(base, field, value_json)
                findings.ask(
                    f"{method.upper()} {path} (JSON) {field}={value_name}",
                    lambda send=send, path=path, body=body: send(
                        path, body, content_type="application/json"
                    ),
                    error_format=api_error_problem,
                )
            for hostile in HOSTILE:
                values = {**base, field: hostile.text}
                encodings = [(FORM, "form", form_body), (MULTIPART, "multipart", multipart_body)]
                for content_type, label, encode in encodings:
                    if content_type.split(";")[0] not in content:
                        continue
                    body = encode(values)
                    findings.ask(
                        f"{method.upper()} {path} ({label}) {field}={hostile}",
                        lambda send=send, path=path, body=body, ct=content_type: send(
                            path, body, content_type=ct
                        ),
                        error_format=api_error_problem,
                    )
        for name, body in RAW_JSON_BODIES:
            findings.ask(
                f"{method.upper()} {path} body={name}",
                lambda send=send, path=path, body=body: send(
                    path, body, content_type="application/json"
                ),
                error_format=api_error_problem,
                expect=400,
            )
    assert findings.asked > 100
    assert not findings.lines, findings.report()
