"""Filing complaints through the REST API (POST /api/v1/complaints/)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints import clocks
from complaints.models import Complaint
from tests.complaints.api_support import filing, integration
from tests.conftest import login
from timelimits.models import Deadline, Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


@pytest.fixture
def hotline(centre):
    """A city-wide intake system (12345): may file against any agency, reads nothing."""
    return integration(name="12345热线")


def test_an_integration_account_files_a_complaint_and_gets_number_code_and_date(
    hotline, agency_a, attitude
):
    _token, client = hotline
    response = client.post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(tracking_no=body["tracking_no"])
    assert body["created"] is True and body["complaint_id"] == complaint.pk
    assert len(body["query_code"]) == 19  # 16 characters in four groups
    accept = Deadline.objects.get(subject_id=complaint.pk, kind=clocks.ACCEPT)
    expected = clocks.expected_completion(complaint, accept_due=accept.due_at)
    assert body["expected_by"] == expected.isoformat()
    assert complaint.channel == "api"
    assert complaint.agency_accused == agency_a
    assert complaint.state == Complaint.State.SUBMITTED


def test_the_url_name_is_in_the_v1_namespace():
    assert reverse("v1:complaint-list") == URL


def test_the_same_idempotency_key_files_once_and_answers_the_same_number_and_code(
    hotline, agency_a, attitude
):
    _token, client = hotline
    first = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    assert Complaint.objects.count() == 1


def test_submission_key_in_the_body_works_like_the_header(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, submission_key="form-77")
    assert client.post(URL, body, format="json").status_code == 201
    assert client.post(URL, body, format="json").status_code == 200
    assert Complaint.objects.count() == 1


def test_two_systems_using_the_same_key_file_two_complaints(hotline, agency_a, attitude, centre):
    _token, other = integration(name="政务服务App")
    _t, client = hotline
    a = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="1")
    b = other.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="1")
    assert a.status_code == b.status_code == 201
    assert a.json()["tracking_no"] != b.json()["tracking_no"]


def test_filing_without_a_token_is_refused(agency_a, attitude):
    response = APIClient().post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 401
    assert not Complaint.objects.exists()


def test_a_staff_session_may_not_file_through_the_api(clerk_a, agency_a, attitude):
    response = login(clerk_a).post(URL, filing(agency_a, attitude), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号无权通过接口提交投诉。"
    assert not Complaint.objects.exists()


def test_missing_fields_answer_400_with_a_message_per_field(hotline):
    _token, client = hotline
    response = client.post(URL, {}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) >= {"category", "agency", "title", "description"}
    assert errors["title"] == ["该字段是必填项。"]


def test_unknown_agency_and_category_are_named_in_the_error(hotline, attitude, agency_a):
    _token, client = hotline
    body = filing(agency_a, attitude, agency="NO-SUCH", category="no-such")
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["agency"] == ["被投诉单位 NO-SUCH 不存在或已撤销。"]
    assert errors["category"] == ["投诉类别 no-such 不存在或已停用。"]


def test_too_long_fields_are_refused_with_their_limit(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, title="长" * 101, description="文" * 5001)
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["title"] == ["请确保这个字段不能超过 100 个字符。"]
    assert errors["description"] == ["请确保这个字段不能超过 5000 个字符。"]
    assert not Complaint.objects.exists()


def test_a_rule_of_the_service_comes_back_as_a_field_error(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, complainant_phone="", complainant_email="")
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "complainant_phone": ["实名投诉请至少留一种联系方式（手机或邮箱）。"]
    }


def test_malformed_json_is_a_400_not_a_500(hotline):
    _token, client = hotline
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_script_in_the_text_is_stored_as_text(hotline, agency_a, attitude):
    _token, client = hotline
    script = "<script>alert('x')</script>办事拖延"
    response = client.post(URL, filing(agency_a, attitude, description=script), format="json")
    assert response.status_code == 201
    assert Complaint.objects.get().description == script


def test_an_anonymous_complaint_keeps_no_name(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, anonymous=True, complainant_name="王小明")
    assert client.post(URL, body, format="json").status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == ""


def test_the_receipt_gives_the_complainant_the_number_code_and_expected_date(
    hotline, agency_a, attitude
):
    _token, client = hotline
    body = client.post(URL, filing(agency_a, attitude), format="json").json()
    sms = Notification.objects.get(to_phone="13912345678")
    assert body["tracking_no"] in sms.body and body["query_code"] in sms.body
    assert body["expected_by"] in sms.body
    assert body["tracking_no"] in sms.subject


def test_a_withdrawn_permission_or_a_deleted_token_is_refused_from_the_next_request_on(
    hotline, agency_a, attitude
):
    token, client = hotline
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 201
    token.user.user_permissions.clear()  # the office withdraws the filing permission
    response = client.post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号无权通过接口提交投诉。"
    token.delete()
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 401
    assert Complaint.objects.count() == 1


def test_a_filing_permission_held_through_a_group_files_until_the_group_loses_it(
    hotline, agency_a, attitude
):
    from django.contrib.auth.models import Group, Permission

    token, client = hotline
    grant = Permission.objects.get(content_type__app_label="complaints", codename="add_complaint")
    group = Group.objects.create(name="接入系统组")
    group.permissions.add(grant)
    token.user.groups.add(group)
    token.user.user_permissions.remove(grant)
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 201
    group.permissions.remove(grant)
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 403
    assert Complaint.objects.count() == 1


def test_an_agency_deactivated_in_the_admin_is_refused_from_the_next_filing_on(
    hotline, agency_a, attitude
):
    _token, client = hotline
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 201
    agency_a.is_active = False
    agency_a.save()
    response = client.post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"agency": [f"被投诉单位 {agency_a.code} 不存在或已撤销。"]}
    assert Complaint.objects.count() == 1
