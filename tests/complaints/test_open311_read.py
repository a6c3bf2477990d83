"""Open311 GeoReport v2 reads: discovery, services, definitions, requests (window, filters), XML."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from complaints.models import Complaint
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314  (our own response, in a test)


def backdate(complaint: Complaint, days: int) -> None:
    Complaint.objects.filter(pk=complaint.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=days)
    )


def test_discovery_lists_this_endpoint_in_both_formats(client):
    body = client.get(f"{BASE}/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_are_the_active_complaint_categories(client, attitude):
    attitude.is_active = False
    attitude.save()
    services = client.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in services]
    assert "efficiency" in codes and "attitude" not in codes
    efficiency = next(s for s in services if s["service_code"] == "efficiency")
    assert efficiency["service_name"] == "办事效率"
    assert efficiency["metadata"] is True and efficiency["type"] == "realtime"
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert "efficiency" in [s.findtext("service_code") for s in root.findall("service")]
    assert root.find("service/metadata").text == "true"


def test_the_agency_attribute_lists_the_active_agencies_by_code_and_name(
    client, agency_a, agency_b
):
    agency_b.is_active = False
    agency_b.save()
    body = client.get(f"{BASE}/services/efficiency.json").json()
    assert body["service_code"] == "efficiency"
    agency = body["attributes"][0]
    assert (agency["code"], agency["datatype"], agency["required"]) == (
        "agency",
        "singlevaluelist",
        True,
    )
    assert {"key": agency_a.code, "name": agency_a.name} in agency["values"]
    assert agency_b.code not in [v["key"] for v in agency["values"]]
    root = xml(client.get(f"{BASE}/services/efficiency.xml"))
    assert root.tag == "service_definition"
    attributes = {a.findtext("code"): a for a in root.iter("attribute")}
    assert attributes["agency"].findtext("datatype") == "singlevaluelist"
    assert agency_a.code in [v.findtext("key") for v in attributes["agency"].iter("value")]
    keys = [v.findtext("key") for v in attributes["consent_share_identity"].iter("value")]
    assert keys == ["yes", "no"]


def test_a_generic_client_files_a_request_from_the_service_definition_alone(
    client, agency_a, attitude, centre
):
    """What a GeoReport client does: read the definition, fill every required attribute
    with one of its listed values, post. Nothing but the definition tells it the codes."""
    from tests.complaints.api_support import integration

    token, _api = integration(name="通用客户端")
    definition = client.get(f"{BASE}/services/{attitude.code}.json").json()
    body = {
        "api_key": token.key,
        "service_code": attitude.code,
        "description": "窗口工作人员态度生硬，咨询材料要求时不予解释。",
        "address_string": "市民中心",
    }
    for attribute in definition["attributes"]:
        if attribute["required"]:
            assert attribute["datatype"] == "singlevaluelist" and attribute["values"]
            names = {v["name"]: v["key"] for v in attribute["values"]}
            body[f"attribute[{attribute['code']}]"] = names[agency_a.name]
    response = client.post(f"{BASE}/requests.json", body)
    assert response.status_code == 201, response.content
    (answer,) = response.json()
    assert (
        Complaint.objects.get(tracking_no=answer["service_request_id"]).agency_accused == agency_a
    )


def test_an_unknown_service_is_a_404_in_the_error_format(client):
    response = client.get(f"{BASE}/services/nope.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code nope 不存在。"}]
    root = xml(client.get(f"{BASE}/services/nope.xml"))
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"


def test_requests_default_to_the_last_90_days(client, agency_a, attitude, centre):
    recent = submit(agency=agency_a, category=attitude).complaint
    old = submit(agency=agency_a, category=attitude).complaint
    backdate(old, 91)
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert ids == [recent.tracking_no]


def test_a_request_carries_status_agency_and_expected_datetime(client, agency_a, attitude, centre):
    complaint = submit(agency=agency_a, category=attitude).complaint
    (row,) = client.get(f"{BASE}/requests.json").json()
    assert row["status"] == "open"
    assert row["service_code"] == "attitude"
    assert row["agency_responsible"] == centre.name  # the complaint centre until routed
    from complaints import clocks

    accept_due = clocks.due_at(complaint, clocks.ACCEPT)
    assert row["expected_datetime"] == timezone.localtime(accept_due).isoformat(timespec="seconds")
    assert row["requested_datetime"].endswith("+08:00")


def test_expected_datetime_follows_the_handling_clock_once_routed(client, walk, agency_a, attitude):
    from complaints import clocks

    complaint = walk(submit(agency=agency_a, category=attitude).complaint, "handling")
    (row,) = client.get(f"{BASE}/requests.json").json()
    due = clocks.due_at(complaint, clocks.HANDLE)
    assert row["expected_datetime"] == timezone.localtime(due).isoformat(timespec="seconds")
    assert row["agency_responsible"] == agency_a.name


def test_no_identity_and_no_text_in_public_requests(client, agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    body = client.get(f"{BASE}/requests.json").content.decode()
    assert "王小明" not in body and "13912345678" not in body and "3号窗口" not in body


def test_status_filter_splits_open_and_closed(client, walk, agency_a, attitude):
    open_one = submit(agency=agency_a, category=attitude).complaint
    closed = walk(submit(agency=agency_a, category=attitude).complaint, "closed")

    def ids(status):
        rows = client.get(f"{BASE}/requests.json", {"status": status}).json()
        return [r["service_request_id"] for r in rows]

    assert ids("open") == [open_one.tracking_no]
    assert ids("closed") == [closed.tracking_no]
    assert set(ids("open,closed")) == {open_one.tracking_no, closed.tracking_no}


def test_service_code_and_date_filters(client, agency_a, attitude, centre):
    from complaints.models import ComplaintCategory

    fees = ComplaintCategory.objects.get(code="fees")
    a = submit(agency=agency_a, category=attitude).complaint
    b = submit(agency=agency_a, category=fees).complaint
    backdate(b, 100)
    rows = client.get(f"{BASE}/requests.json", {"service_code": "fees"}).json()
    assert rows == []  # outside the default window
    start = (timezone.now() - dt.timedelta(days=120)).isoformat()
    end = (timezone.now() - dt.timedelta(days=40)).isoformat()
    rows = client.get(
        f"{BASE}/requests.json", {"service_code": "fees", "start_date": start, "end_date": end}
    ).json()
    assert [r["service_request_id"] for r in rows] == [b.tracking_no]
    assert a.tracking_no not in [r["service_request_id"] for r in rows]


def test_service_request_ids_override_the_window(client, agency_a, attitude, centre):
    old = submit(agency=agency_a, category=attitude).complaint
    backdate(old, 400)
    new = submit(agency=agency_a, category=attitude).complaint
    ids = f"{old.tracking_no},{new.tracking_no}"
    rows = client.get(f"{BASE}/requests.json", {"service_request_id": ids}).json()
    assert {r["service_request_id"] for r in rows} == {old.tracking_no, new.tracking_no}


def test_a_range_wider_than_90_days_is_a_400(client):
    response = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
    )
    assert response.status_code == 400
    assert response.json() == [
        {"code": 400, "description": "start_date 与 end_date 相距不能超过 90 天。"}
    ]


def test_a_malformed_date_or_status_is_a_400(client):
    bad_date = client.get(f"{BASE}/requests.json", {"start_date": "yesterday"})
    assert bad_date.status_code == 400
    assert bad_date.json()[0]["code"] == 400
    bad_status = client.get(f"{BASE}/requests.xml", {"status": "pending"})
    assert bad_status.status_code == 400
    assert xml(bad_status).findtext("error/description") == "status 只能是 open 或 closed。"


def test_at_most_1000_requests_are_returned(client, agency_a, attitude, centre, monkeypatch):
    from complaints.integrations.open311 import selectors

    monkeypatch.setattr(selectors, "GEOREPORT_MAX_REQUESTS", 2)  # the cap, on small data
    for _ in range(3):
        submit(agency=agency_a, category=attitude)
    assert len(client.get(f"{BASE}/requests.json").json()) == 2


def test_one_request_by_id_in_xml(client, agency_a, attitude, centre):
    complaint = submit(agency=agency_a, category=attitude).complaint
    root = xml(client.get(f"{BASE}/requests/{complaint.tracking_no}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == complaint.tracking_no
    assert root.findtext("request/status") == "open"
    assert root.findtext("request/expected_datetime")


def test_an_unknown_request_is_a_404(client):
    response = client.get(f"{BASE}/requests/XN-2026-999999-0.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_a_wrong_jurisdiction_is_a_404(client):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "other.city"})
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "jurisdiction_id other.city 不存在。"}]


def test_the_right_jurisdiction_is_accepted(client, settings):
    response = client.get(
        f"{BASE}/services.json", {"jurisdiction_id": settings.OPEN311_JURISDICTION_ID}
    )
    assert response.status_code == 200


def test_english_requests_get_english_service_names(client):
    services = client.get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en").json()
    names = {s["service_code"]: s["service_name"] for s in services}
    assert names["attitude"] == "Service attitude"
    response = client.get(f"{BASE}/services/nope.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()[0]["description"] != "service_code nope 不存在。"
