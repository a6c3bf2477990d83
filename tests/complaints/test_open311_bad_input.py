"""Open311 refuses bad input with its error list (HTTP 400), in JSON and in XML that parses."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from complaints.models import Complaint
from tests.complaints.api_support import integration

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def errors(response) -> list:
    assert response.status_code in (400, 404), response.content
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)
        assert root.tag == "errors"
        return [(int(e.findtext("code")), e.findtext("description")) for e in root]
    return [(e["code"], e["description"]) for e in response.json()]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "2026-02-30T00:00:00"}, "start_date 不是真实存在的日期或时间。"),
        ({"start_date": "2026-13-01T00:00:00"}, "start_date 不是真实存在的日期或时间。"),
        ({"start_date": "9999-12-31T00:00:00Z"}, "start_date 的年份须在 1900 至 2199 年之间。"),
        ({"end_date": "0001-01-01T00:00:00Z"}, "end_date 的年份须在 1900 至 2199 年之间。"),
        ({"service_code": "\x00"}, "service_code 含有空字符（NUL），无法处理。"),
        ({"service_request_id": "\x00"}, "service_request_id 含有空字符（NUL），无法处理。"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_refuses_dates_and_codes_it_cannot_search_by(client, fmt, params, message):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert errors(response) == [(400, message)]


@pytest.fixture
def api_key(centre):
    token, _client = integration(name="12345热线")
    return token.key


@pytest.mark.parametrize("body", [b"[1,2]", b'"x"', b"null", b"7"])
def test_a_json_body_that_is_not_an_object_is_refused(client, body):
    response = client.post(f"{BASE}/requests.json", body, content_type="application/json")
    assert errors(response) == [(400, "请求体须为字段的集合（表单或 JSON 对象）。")]


def test_json_nested_50000_deep_is_refused(client):
    body = "[" * 50_000 + "]" * 50_000
    response = client.post(f"{BASE}/requests.xml", body, content_type="application/json")
    assert errors(response) == [(400, "JSON 嵌套过深（最多 64 层）。")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "窗口\x00", "description 含有空字符（NUL），无法处理。"),
        ("first_name", "\ud800", "first_name 含有无效的 Unicode 字符（孤立的代理项）。"),
        ("attribute.agency", "\x00", "attribute.agency 含有空字符（NUL），无法处理。"),
    ],
)
def test_nul_or_a_lone_surrogate_in_any_field_is_refused(
    client, api_key, agency_a, field, value, message
):
    body = {"api_key": api_key, "service_code": "efficiency", "description": "超时未办结"}
    body["attribute"] = {"agency": agency_a.code}
    if field == "attribute.agency":
        body["attribute"]["agency"] = value
    else:
        body[field] = value
    import json

    raw = json.dumps(body).encode()  # \u escapes: the surrogate travels as JSON allows
    response = client.post(f"{BASE}/requests.json", raw, content_type="application/json")
    assert errors(response) == [(400, message)]
    assert not Complaint.objects.exists()


def test_a_form_field_with_nul_is_refused_in_xml(client, api_key, agency_a):
    response = client.post(
        f"{BASE}/requests.xml",
        {
            "api_key": api_key,
            "service_code": "efficiency",
            "attribute[agency]": agency_a.code,
            "description": "超时\x00未办结",
            "address_string": "市民中心",
        },
    )
    assert errors(response) == [(400, "description 含有空字符（NUL），无法处理。")]


def test_control_characters_echoed_in_an_error_keep_the_xml_well_formed(client, api_key):
    response = client.post(
        f"{BASE}/requests.xml", {"api_key": api_key, "service_code": "x\x01\x1b\x7fy"}
    )
    assert errors(response) == [(400, "service_code x\ufffd\ufffd\x7fy 不存在。")]


def test_an_unknown_resource_is_a_404_in_the_error_list(client):
    assert errors(client.get(f"{BASE}/tokens/abc:def.xml")) == [(404, "没有这个资源。")]
    assert errors(client.get(f"{BASE}/nothing.json")) == [(404, "没有这个资源。")]
