"""Reading complaints through the REST API: scoped to the account's agency, identity protected."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from complaints.models import Complaint
from tests.complaints.api_support import integration
from tests.complaints.conftest import submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


@pytest.fixture
def handled_case(walk, agency_a, attitude):
    """A complaint against agency A, routed to and signed for by agency A."""
    return walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)


def test_an_agency_account_reads_its_own_case(handled_case, agency_a):
    _token, client = integration(agency=agency_a, name="甲系统")
    listed = client.get(URL).json()["results"]
    assert [c["tracking_no"] for c in listed] == [handled_case.tracking_no]
    detail = client.get(f"{URL}{handled_case.pk}/")
    assert detail.status_code == 200
    assert detail.json()["state"] == "handling"
    assert detail.json()["handling_agency"] == agency_a.code


def test_another_agency_account_gets_404_and_an_empty_list(handled_case, agency_b):
    _token, client = integration(agency=agency_b, name="乙系统")
    assert client.get(f"{URL}{handled_case.pk}/").status_code == 404
    assert client.get(URL).json()["results"] == []


def test_a_city_wide_intake_account_reads_nothing(handled_case):
    _token, client = integration(name="12345热线")
    assert client.get(f"{URL}{handled_case.pk}/").status_code == 403
    assert client.get(URL).status_code == 403


def test_reading_without_a_token_is_refused(handled_case):
    assert APIClient().get(URL).status_code == 401


def test_the_accused_agency_never_sees_who_complained(handled_case, agency_a):
    _token, client = integration(agency=agency_a, name="甲系统")
    response = client.get(f"{URL}{handled_case.pk}/")
    body = response.content.decode()
    assert response.json()["complainant"] == {
        "hidden": True,
        "name": "（投诉人未同意公开身份）",
        "phone": "",
        "email": "",
    }
    for secret in ("王小明", "13912345678", "5678", "110101199001011234"):
        assert secret not in body
    listed = client.get(URL).content.decode()
    assert "王小明" not in listed and "13912345678" not in listed


def test_with_consent_the_agency_sees_the_identity_masked(walk, agency_a, attitude):
    complaint = submit(agency=agency_a, category=attitude, consent_share_identity=True).complaint
    walk(complaint, Complaint.State.HANDLING)
    _token, client = integration(agency=agency_a, name="甲系统")
    shown = client.get(f"{URL}{complaint.pk}/").json()["complainant"]
    assert shown == {"hidden": False, "name": "王**", "phone": "139****5678", "email": ""}


def test_a_case_not_yet_routed_is_not_visible_to_the_accused_agency(agency_a, attitude, centre):
    complaint = submit(agency=agency_a, category=attitude).complaint
    _token, client = integration(agency=agency_a, name="甲系统")
    assert client.get(f"{URL}{complaint.pk}/").status_code == 404


def test_filter_by_state(handled_case, walk, agency_a, attitude):
    closed = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CLOSED)
    _token, client = integration(agency=agency_a, name="甲系统")
    rows = client.get(URL, {"state": "closed"}).json()["results"]
    assert [r["tracking_no"] for r in rows] == [closed.tracking_no]


def test_a_reopened_case_reads_with_its_earlier_round(walk, agency_a, attitude):
    from complaints import services

    c = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.REPLIED)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED)
    c = services.complaint_reopen(complaint=c, reason="问题没有解决")
    _token, client = integration(agency=agency_a, name="甲系统")
    body = client.get(f"{URL}{c.pk}/").json()
    assert (body["round_no"], body["reply_text"], body["outcome"]) == (2, "", "")
    (first,) = body["earlier_rounds"]
    assert (first["number"], first["outcome"], first["reply_text"]) == (
        1,
        "unfounded",
        "经核实，情况如下……",
    )
    listed = client.get(URL).json()["results"]
    assert listed[0]["earlier_rounds"][0]["number"] == 1
