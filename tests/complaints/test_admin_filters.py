"""The worklist's URL filters are an allow-list (organizations.admin_base.DeclaredFiltersOnly):
the staff's own filters narrow it, anything else is refused whatever its value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import submit
from tests.conftest import login
from timelimits.models import Deadline

S = Complaint.State
URL = reverse("admin:complaints_complaint_changelist")


@pytest.fixture
def two_cases(agency_a, attitude, centre, walk):
    """A case in handling (red light) and one just submitted, both against agency A."""
    handling = walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING)
    Deadline.objects.filter(subject_id=handling.pk, kind="complaint.handle").update(light="red")
    fresh = submit(agency=agency_a, category=attitude, complainant_phone="13600001111").complaint
    return handling, fresh


def _listed(client, params) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, params
    body = response.content.decode()
    return {no for no in Complaint.objects.values_list("tracking_no", flat=True) if no in body}


def test_declared_filters_still_narrow_the_worklist(two_cases, office_user, agency_a):
    handling, fresh = two_cases
    client = login(office_user)
    both = {handling.tracking_no, fresh.tracking_no}
    assert _listed(client, {}) == both  # positive control
    year = handling.submitted_at.year
    for params, expected in [
        ({"light": "red"}, {handling.tracking_no}),
        ({"state__exact": S.SUBMITTED}, {fresh.tracking_no}),
        ({"category__id__exact": handling.category_id}, both),
        ({"agency_accused__id__exact": agency_a.pk}, both),
        ({"handling_agency__id__exact": agency_a.pk}, {handling.tracking_no}),
        ({"handling_agency__isnull": "True"}, {fresh.tracking_no}),
        ({"age": "3"}, both),
        ({"is_urgent__exact": "0"}, both),
        ({"submitted_at__year": str(year)}, both),
    ]:
        assert _listed(client, params) == expected, params


@pytest.mark.parametrize(
    "param",
    [
        "complainant_phone__startswith",
        "complainant_phone",
        "complainant_name__regex",
        "query_code_hash__startswith",
        "consent_share_identity__exact",  # not secret, but not a filter the page declares
        "title__contains",
        "category__name__startswith",
    ],
)
def test_an_undeclared_filter_is_refused_whatever_its_value(two_cases, office_user, param):
    client = login(office_user)
    matching = client.get(URL, {param: "1360"})
    assert matching.status_code == 400
    assert matching.content.decode() == "列表不能按这个条件筛选。请使用右侧的筛选项。"
    assert client.get(URL, {param: "zzzz"}).content == matching.content


def test_a_refused_filter_does_not_write_the_value_into_the_log(two_cases, office_user, caplog):
    login(office_user).get(URL, {"complainant_phone__startswith": "1360000"})
    assert "1360000" not in caplog.text


def test_the_office_cannot_find_a_complainant_by_phone_either(two_cases, office_user):
    """The office may reveal the complainant, with a logged reason; not find them by number."""
    client = login(office_user)
    assert client.get(URL, {"complainant_phone__startswith": "136"}).status_code == 400
    assert client.get(URL, {"q": "13600001111"}).status_code == 200
    assert _listed(client, {"q": "13600001111"}) == set()
