"""Statistics by agency and month through the API (GET /api/v1/complaint-stats/)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Complaint
from tests.complaints.api_support import integration
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaint-stats/"


def test_counts_received_concluded_on_time_and_satisfaction(walk, agency_a, agency_b, attitude):
    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    submit(agency=agency_a, category=attitude)
    submit(agency=agency_b, category=attitude)
    _token, client = integration(name="统计平台")
    rows = client.get(URL, {"agency": agency_a.code}).json()
    month = timezone.localdate().strftime("%Y-%m")
    assert rows == [
        {
            "agency": agency_a.code,
            "agency_name": agency_a.name,
            "month": month,
            "received": 2,
            "concluded": 1,
            "on_time": 1,
            "on_time_rate": 1.0,
            "rated": 1,
            "satisfied": 1,
            "satisfaction_rate": 1.0,
        }
    ]
    every = client.get(URL).json()
    assert {r["agency"] for r in every} == {agency_a.code, agency_b.code}


def test_a_month_outside_the_range_has_no_rows(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    _token, client = integration(name="统计平台")
    assert client.get(URL, {"start": "2020-01", "end": "2020-12"}).json() == []


def test_a_malformed_month_is_a_field_error(centre):
    _token, client = integration(name="统计平台")
    response = client.get(URL, {"start": "2026-13"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"start": ["月份格式应为 YYYY-MM。"]}


def test_statistics_need_a_token(client):
    assert client.get(URL).status_code in (401, 403)
