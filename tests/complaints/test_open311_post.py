"""Open311 POST requests: api_key, jurisdiction, field mapping, malformed payloads, idempotency."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from complaints.models import Complaint
from tests.complaints.api_support import integration

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


@pytest.fixture
def api_key(centre):
    token, _client = integration(name="12345热线")
    return token.key


def payload(api_key, agency, **overrides) -> dict:
    body = {
        "api_key": api_key,
        "service_code": "efficiency",
        "attribute[agency]": agency.code,
        "description": "营业执照变更申请已超过承诺时限10个工作日仍未办结。\n多次电话询问无人答复。",
        "address_string": "市民中心二楼B区",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13912345678",
        "email": "wang@example.com",
    }
    body.update(overrides)
    return body


def test_post_files_a_complaint_and_answers_the_spec_shape(client, api_key, agency_a):
    response = client.post(URL, payload(api_key, agency_a))
    assert response.status_code == 201, response.content
    (answer,) = response.json()
    complaint = Complaint.objects.get(tracking_no=answer["service_request_id"])
    assert "前办结" in answer["service_notice"]
    assert len(answer["query_code"]) == 19
    assert complaint.channel == "open311"
    assert complaint.category.code == "efficiency"
    assert complaint.agency_accused == agency_a
    assert complaint.complainant_name == "王小明"
    assert complaint.title == "营业执照变更申请已超过承诺时限10个工作日仍未办结。"
    assert "地点：市民中心二楼B区" in complaint.description


def test_post_in_xml_answers_xml(client, api_key, agency_a):
    response = client.post("/open311/v2/requests.xml", payload(api_key, agency_a))
    assert response.status_code == 201
    root = ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id").startswith("XN-")


def test_post_without_api_key_is_403_and_files_nothing(client, agency_a):
    body = payload("", agency_a)
    response = client.post(URL, body)
    assert response.status_code == 403
    assert response.json() == [{"code": 403, "description": "提交服务请求须提供 api_key。"}]
    assert not Complaint.objects.exists()


def test_post_with_an_unknown_key_is_403(client, agency_a, centre):
    response = client.post(URL, payload("f" * 40, agency_a))
    assert response.status_code == 403
    assert response.json()[0]["description"] == "api_key 无效或无权提交服务请求。"


def test_a_staff_token_is_not_an_api_key(client, clerk_a, agency_a, centre):
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=clerk_a).key
    assert client.post(URL, payload(key, agency_a)).status_code == 403


def test_post_to_a_wrong_jurisdiction_is_404(client, api_key, agency_a):
    response = client.post(URL, payload(api_key, agency_a, jurisdiction_id="other.city"))
    assert response.status_code == 404
    assert response.json()[0]["description"] == "jurisdiction_id other.city 不存在。"
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"service_code": ""}, "缺少 service_code。"),
        ({"service_code": "potholes"}, "service_code potholes 不存在。"),
        ({"attribute[agency]": ""}, "缺少 attribute[agency]（被投诉单位代码）。"),
        ({"attribute[agency]": "NOPE"}, "被投诉单位 NOPE 不存在或已撤销。"),
        ({"description": ""}, "缺少 description（投诉内容）。"),
        ({"description": "长" * 4001}, "description 过长（最多 4000 字）。"),
        ({"address_string": "", "lat": "", "long": ""}, "请提供 lat/long 或 address_string。"),
        ({"lat": "31.2"}, "lat 与 long 须同时提供。"),
        ({"lat": "north", "long": "121.4"}, "lat 不是有效的坐标。"),
        ({"lat": "95", "long": "121.4"}, "lat 不是有效的坐标。"),
        ({"media_url": "javascript:alert(1)"}, "media_url 不是有效的网址。"),
        ({"email": "not-an-email"}, "邮箱格式不正确。"),
        (
            {"first_name": "", "last_name": "王", "phone": "", "email": ""},
            "实名投诉请至少留一种联系方式（手机或邮箱）。",
        ),
    ],
)
def test_malformed_payloads_are_400_in_the_error_format(client, api_key, agency_a, change, message):
    response = client.post(URL, payload(api_key, agency_a, **change))
    assert response.status_code == 400, response.content
    assert response.json() == [{"code": 400, "description": message}]
    assert not Complaint.objects.exists()


def test_malformed_json_body_is_a_400_in_the_error_format(client, api_key):
    response = client.post(URL, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_a_json_body_with_nested_attributes_is_accepted(client, api_key, agency_a):
    body = payload(api_key, agency_a, lat="31.23", long="121.47", address_string="")
    del body["attribute[agency]"]
    body["attribute"] = {"agency": agency_a.code, "consent_share_identity": "yes"}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.consent_share_identity is True
    assert "坐标：31.23, 121.47" in complaint.description


def test_without_a_name_the_complaint_is_anonymous(client, api_key, agency_a):
    body = payload(api_key, agency_a, first_name="", last_name="")
    assert client.post(URL, body).status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == ""
    assert complaint.complainant_phone == "13912345678"  # kept only for progress notices


def test_the_same_idempotency_key_files_once(client, api_key, agency_a):
    first = client.post(URL, payload(api_key, agency_a), HTTP_IDEMPOTENCY_KEY="x1")
    again = client.post(URL, payload(api_key, agency_a), HTTP_IDEMPOTENCY_KEY="x1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Complaint.objects.count() == 1


def test_script_in_the_description_is_stored_as_text(client, api_key, agency_a):
    text = '<img src=x onerror="alert(1)">窗口推诿'
    assert client.post(URL, payload(api_key, agency_a, description=text)).status_code == 201
    assert Complaint.objects.get().description.startswith(text)


def test_a_filed_request_can_be_read_back_with_expected_datetime(client, api_key, agency_a):
    (answer,) = client.post(URL, payload(api_key, agency_a)).json()
    rid = answer["service_request_id"]
    (row,) = client.get(f"/open311/v2/requests/{rid}.json").json()
    assert row["status"] == "open"
    assert row["expected_datetime"]
