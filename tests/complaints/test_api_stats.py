"""Statistics by agency and month through the API (GET /api/v1/complaint-stats/)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Complaint, PublicPolicy
from complaints.stats import stats_refresh_recent
from tests.complaints.api_support import integration
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaint-stats/"


def publish_rates_from(n: int) -> None:
    policy = PublicPolicy.current()
    policy.ranking_min_cases = n
    policy.save()


def test_counts_received_concluded_on_time_and_satisfaction(walk, agency_a, agency_b, attitude):
    walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    submit(agency=agency_a, category=attitude)
    submit(agency=agency_b, category=attitude)
    publish_rates_from(1)
    stats_refresh_recent(months=1)  # the periodic rollup the public page reads too
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
            "late": 0,
            "overdue": 0,
            "timed": 1,
            "on_time_rate": 100.0,
            "rated": 1,
            "satisfied": 1,
            "satisfaction_rate": 100.0,
        }
    ]
    every = client.get(URL).json()
    assert {r["agency"] for r in every} == {agency_a.code, agency_b.code}


def test_rates_are_withheld_below_the_public_minimum(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    publish_rates_from(5)
    stats_refresh_recent(months=1)
    _token, client = integration(name="统计平台")
    (row,) = client.get(URL).json()
    assert (row["received"], row["on_time_rate"], row["satisfaction_rate"]) == (1, None, None)


def test_a_month_outside_the_range_has_no_rows(agency_a, attitude, centre):
    submit(agency=agency_a, category=attitude)
    stats_refresh_recent(months=1)
    _token, client = integration(name="统计平台")
    assert client.get(URL, {"start": "2020-01", "end": "2020-12"}).json() == []


def test_a_malformed_month_is_a_field_error(centre):
    _token, client = integration(name="统计平台")
    response = client.get(URL, {"start": "2026-13"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"start": ["月份格式应为 YYYY-MM。"]}


def test_statistics_without_a_token_are_401_and_say_how_to_authenticate(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
