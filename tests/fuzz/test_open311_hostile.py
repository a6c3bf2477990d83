"""Open311: every GeoReport argument and field, sent every hostile value, answers below 500,
in the spec's error list when it refuses, and its XML always parses.

The arguments come from the spec (GeoReport v2, per resource, below; a new route
fails ``test_every_open311_route_has_its_georeport_arguments_listed`` until its
arguments are listed) and from the endpoint itself: the ``attribute[…]`` fields are
read from each service's definition. Requests run in their own savepoints
(a savepoint rolled back after each, ``Findings.ask``), so one request's failed
statement cannot spoil the next.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.urls import get_resolver, reverse

from complaints.integrations.open311 import selectors
from tests.complaints.api_support import integration
from tests.fuzz.hostile import (
    FORM,
    HOSTILE,
    RAW_JSON_BODIES,
    Findings,
    client,
    form_body,
    json_body,
    json_values,
    query_string,
)

pytestmark = pytest.mark.django_db

# GeoReport v2's arguments of each resource (http://wiki.open311.org/GeoReport_v2), by
# route name in complaints.integrations.open311.urls.
GEOREPORT_ARGUMENTS = {
    "discovery": {"get": ()},
    "services": {"get": ("jurisdiction_id",)},
    "service": {"get": ("jurisdiction_id",)},
    "requests": {
        "get": (
            "jurisdiction_id",
            "service_request_id",
            "service_code",
            "start_date",
            "end_date",
            "status",
        ),
        "post": (
            "jurisdiction_id",
            "api_key",
            "service_code",
            "lat",
            "long",
            "address_string",
            "address_id",
            "email",
            "device_id",
            "account_id",
            "first_name",
            "last_name",
            "phone",
            "description",
            "media_url",
        ),
    },
    "request": {"get": ("jurisdiction_id",)},
}
FORMATS = ("json", "xml")


def open311_routes() -> dict[str, list[str]]:
    """{route name: its URL keyword arguments other than the format}, but the catch-all 404."""
    resolver = get_resolver()
    namespace = resolver.namespace_dict["open311"][1]
    return {
        p.name: [k for k in p.pattern.regex.groupindex if k != "format"]
        for p in namespace.url_patterns
        if p.name != "unknown"
    }


def error_list_problem(response) -> str | None:
    """None when the body is GeoReport's error list with the HTTP status as each code."""
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)
        errors = [(e.findtext("code"), e.findtext("description")) for e in root]
        ok = root.tag == "errors" and errors and all(c and d for c, d in errors)
    else:
        body = response.json()
        ok = (
            isinstance(body, list) and body and all({"code", "description"} <= set(e) for e in body)
        )
    return None if ok else response.content.decode(errors="replace")[:200]


@pytest.fixture
def open311_world(centre, agency_a, settings):
    token, _client = integration(name="12345热线")
    category = selectors.service_list().first()
    return {"api_key": token.key, "service_code": category.code, "agency": agency_a.code}


def test_every_open311_route_has_its_georeport_arguments_listed(db):
    assert set(open311_routes()) == set(GEOREPORT_ARGUMENTS)


def _url(name: str, fmt: str, kwargs: dict) -> str:
    return reverse(f"open311:{name}", kwargs={"format": fmt, **kwargs})


def test_open311_reads_answer_every_hostile_argument_without_failing(open311_world):
    web, findings = client(), Findings()
    valid_kwargs = {"code": open311_world["service_code"], "request_id": "XN-2026-000001-0"}
    for name, kwarg_names in open311_routes().items():
        kwargs = {k: valid_kwargs[k] for k in kwarg_names}
        for fmt in FORMATS:
            url = _url(name, fmt, kwargs)
            for argument in GEOREPORT_ARGUMENTS[name]["get"]:
                for hostile in HOSTILE:
                    target = f"{url}?{query_string({}, argument, hostile)}"
                    findings.ask(
                        f"GET {url} {argument}={hostile}",
                        lambda target=target: web.get(target),
                        xml=fmt == "xml",
                        error_format=error_list_problem,
                    )
            for kwarg in kwarg_names:  # the resource's own path segment
                for hostile in HOSTILE:
                    marker = "KWARGVALUE"
                    hostile_url = _url(name, fmt, {**kwargs, kwarg: marker}).replace(
                        marker, hostile.query
                    )
                    findings.ask(
                        f"GET {url} <{kwarg}>={hostile}",
                        lambda hostile_url=hostile_url: web.get(hostile_url),
                        xml=fmt == "xml",
                        error_format=error_list_problem,
                    )
    assert not findings.lines, findings.report()


def _filing(world) -> dict:
    return {
        "api_key": world["api_key"],
        "service_code": world["service_code"],
        "attribute[agency]": world["agency"],
        "description": "营业执照变更申请已超过承诺时限仍未办结。",
        "address_string": "市民中心二楼B区",
        "last_name": "王",
        "first_name": "小明",
        "phone": "13912345678",
        "email": "wang@example.com",
    }


def _post_fields(world) -> list[str]:
    """The spec's POST fields and the ``attribute[code]`` of every attribute the service declares."""
    definition = client().get(
        _url("service", "json", {"code": world["service_code"]}), HTTP_ACCEPT="application/json"
    )
    attributes = [f"attribute[{a['code']}]" for a in definition.json()["attributes"]]
    assert attributes, "the service definition lists no attributes"
    return [*GEOREPORT_ARGUMENTS["requests"]["post"], *attributes]


def test_open311_filing_answers_every_hostile_field_without_failing(open311_world):
    web, findings = client(), Findings()
    base = _filing(open311_world)
    for field in _post_fields(open311_world):
        for hostile in HOSTILE:
            url, body = _url("requests", "xml", {}), form_body({**base, field: hostile.text})
            findings.ask(
                f"POST {url} (form) {field}={hostile}",
                lambda url=url, body=body: web.post(url, body, content_type=FORM),
                xml=True,
                error_format=error_list_problem,
            )
        url = _url("requests", "json", {})
        for value_name, value_json in json_values():
            body = json_body(base, field, value_json)
            findings.ask(
                f"POST {url} (JSON) {field}={value_name}",
                lambda url=url, body=body: web.post(url, body, content_type="application/json"),
                error_format=error_list_problem,
            )
    assert not findings.lines, findings.report()


def test_open311_refuses_malformed_json_bodies_in_its_error_list(open311_world):
    web, findings = client(), Findings()
    for fmt in FORMATS:
        url = _url("requests", fmt, {})
        for name, body in RAW_JSON_BODIES:
            findings.ask(
                f"POST {url} body={name}",
                lambda url=url, body=body: web.post(url, body, content_type="application/json"),
                xml=fmt == "xml",
                error_format=error_list_problem,
                expect=400,
            )
    assert not findings.lines, findings.report()


def test_open311_xml_escapes_control_characters_it_echoes(open311_world):
    """A refused service code is named in the error; its control characters cannot break the XML."""
    body = {**_filing(open311_world), "service_code": "bad\x01\x1bcode"}
    response = client().post(_url("requests", "xml", {}), body)
    assert response.status_code == 400
    root = ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)
    assert root.findtext("error/description") == "service_code bad\ufffd\ufffdcode 不存在。"
    assert json.loads(client().post(_url("requests", "json", {}), body).content) == [
        {"code": 400, "description": "service_code bad\x01\x1bcode 不存在。"}
    ]
