"""Filing complaints through the REST API (POST /api/v1/complaints/)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from complaints.acceptance import accepted_file_due
from complaints.models import AcceptedFiling, Complaint
from tests.complaints.api_support import filing, integration
from tests.conftest import login

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
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["created"] is True and body["complaint_id"] is None
    assert accepted_file_due() == 1
    complaint = Complaint.objects.get(tracking_no=body["tracking_no"])
    assert len(body["query_code"]) == 19  # 16 characters in four groups
    assert body["expected_by"] >= complaint.submitted_at.date().isoformat()
    assert complaint.channel == "api"
    assert complaint.agency_accused == agency_a
    assert complaint.state == Complaint.State.SUBMITTED


def test_the_url_name_is_in_the_v1_namespace():
    assert reverse("v1:complaint-list") == URL


def test_the_same_idempotency_key_files_once_and_returns_the_same_code(hotline, agency_a, attitude):
    _token, client = hotline
    first = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 202 and again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["tracking_no"] == first.json()["tracking_no"]
    assert again.json()["query_code"] == first.json()["query_code"]
    accepted_file_due()
    after_filing = client.post(
        URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert after_filing.status_code == 200
    assert after_filing.json()["complaint_id"] == Complaint.objects.get().pk


def test_submission_key_in_the_body_works_like_the_header(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, submission_key="form-77")
    assert client.post(URL, body, format="json").status_code == 202
    assert client.post(URL, body, format="json").status_code == 200
    assert accepted_file_due() == 1 and Complaint.objects.count() == 1


def test_two_systems_using_the_same_key_file_two_complaints(hotline, agency_a, attitude, centre):
    _token, other = integration(name="政务服务App")
    _t, client = hotline
    a = client.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="1")
    b = other.post(URL, filing(agency_a, attitude), format="json", HTTP_IDEMPOTENCY_KEY="1")
    assert a.status_code == b.status_code == 202
    assert a.json()["tracking_no"] != b.json()["tracking_no"]


def test_filing_without_a_token_is_refused(agency_a, attitude):
    response = APIClient().post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 401
    assert not AcceptedFiling.objects.exists()


def test_a_staff_session_may_not_file_through_the_api(clerk_a, agency_a, attitude):
    response = login(clerk_a).post(URL, filing(agency_a, attitude), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号无权通过接口提交投诉。"
    assert not AcceptedFiling.objects.exists()


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
    assert not AcceptedFiling.objects.exists()


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
    assert response.status_code == 202
    accepted_file_due()
    assert Complaint.objects.get().description == script


def test_an_anonymous_complaint_keeps_no_name(hotline, agency_a, attitude):
    _token, client = hotline
    body = filing(agency_a, attitude, anonymous=True, complainant_name="王小明")
    assert client.post(URL, body, format="json").status_code == 202
    assert AcceptedFiling.objects.get().payload["complainant_name"] == ""
    accepted_file_due()
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == ""


# Why each statement of an intake request is there: README, "Intake benchmark". A new
# statement on this path costs every integration call a database round trip.


def test_filing_is_one_statement_once_the_token_is_remembered(hotline, agency_a, attitude):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _token, client = hotline
    client.post(URL, filing(agency_a, attitude), format="json")  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 202
    # Besides the filing: the account's last-use telemetry, a primary-key UPDATE that
    # writes at most once a minute (README, "Integration accounts").
    telemetry = [q["sql"] for q in ctx.captured_queries if "last_used_at" in q["sql"]]
    assert len(telemetry) == 1
    sql = [
        q["sql"]
        for q in ctx.captured_queries
        if "SAVEPOINT" not in q["sql"] and "last_used_at" not in q["sql"]
    ]
    assert len(sql) == 1, "\n".join(s[:120] for s in sql)
    assert "authtoken_token" in sql[0] and "complaints_acceptedfiling" in sql[0]


def test_a_token_revoked_after_it_was_remembered_files_nothing(hotline, agency_a, attitude):
    token, client = hotline
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 202
    token.user.user_permissions.clear()  # the office withdraws the filing permission
    response = client.post(URL, filing(agency_a, attitude), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号无权通过接口提交投诉。"
    assert AcceptedFiling.objects.count() == 1
    token.delete()
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 401


def test_the_complaint_is_filed_with_the_number_time_and_code_given_at_acceptance(
    hotline, agency_a, attitude
):
    from complaints import clocks, selectors
    from timelimits.models import Deadline

    _token, client = hotline
    body = client.post(URL, filing(agency_a, attitude), format="json").json()
    accepted = AcceptedFiling.objects.get()
    assert selectors.accepted_get_by_code(
        tracking_no=body["tracking_no"], query_code=body["query_code"]
    )
    accepted_file_due()
    complaint = selectors.complaint_get_by_code(
        tracking_no=body["tracking_no"], query_code=body["query_code"]
    )
    assert complaint is not None and complaint.submitted_at == accepted.received_at
    accept = Deadline.objects.get(subject_id=complaint.pk, kind=clocks.ACCEPT)
    assert accept.started_at == accepted.received_at
    assert (
        clocks.expected_completion(complaint, accept_due=accept.due_at).isoformat()
        == (body["expected_by"])
    )
    accepted.refresh_from_db()
    assert accepted.complaint == complaint and accepted.payload == {}  # no identity left behind
    assert accepted_file_due() == 0  # filed once


def test_the_receipt_is_written_when_filed_with_the_number_code_and_promised_date(
    hotline, agency_a, attitude
):
    from timelimits.models import Notification

    _token, client = hotline
    body = client.post(URL, filing(agency_a, attitude), format="json").json()
    assert not Notification.objects.filter(to_phone="13912345678").exists()
    assert accepted_file_due() == 1
    sms = Notification.objects.get(to_phone="13912345678")
    assert body["tracking_no"] in sms.body and body["query_code"] in sms.body
    assert body["expected_by"] in sms.body
    assert AcceptedFiling.objects.get().payload == {}  # the code went with the identity
    assert accepted_file_due() == 0
    assert Notification.objects.filter(to_phone="13912345678").count() == 1  # not twice


def test_the_promised_date_holds_even_if_the_policy_changes_before_filing(
    hotline, agency_a, attitude
):
    from complaints import clocks
    from timelimits.models import Notification, TimeLimitPolicy

    _token, client = hotline
    body = client.post(URL, filing(agency_a, attitude), format="json").json()
    TimeLimitPolicy.objects.filter(kind=clocks.HANDLE, category="").update(limit=40)
    accepted_file_due()
    assert body["expected_by"] in Notification.objects.get(to_phone="13912345678").body


def test_a_row_that_cannot_be_filed_is_pushed_back_and_does_not_block_the_rest(
    hotline, agency_a, attitude
):
    _token, client = hotline
    bad = client.post(URL, filing(agency_a, attitude), format="json").json()
    good = client.post(URL, filing(agency_a, attitude), format="json").json()
    AcceptedFiling.objects.filter(tracking_no=bad["tracking_no"]).update(payload={"category_id": 0})
    assert accepted_file_due() == 1
    assert Complaint.objects.filter(tracking_no=good["tracking_no"]).exists()
    poisoned = AcceptedFiling.objects.get(tracking_no=bad["tracking_no"])
    assert poisoned.complaint is None and poisoned.attempts == 1 and poisoned.last_error
    assert poisoned.next_attempt_at > poisoned.received_at


def test_the_filing_task_clears_its_queued_flag_files_and_queues_the_receipts(
    hotline, agency_a, attitude, settings
):
    settings.COMPLAINTS_FILING_SHARE_MS = 50  # it looks again for 0.1 s before it ends
    from django.core.cache import cache

    from complaints import tasks
    from complaints.acceptance import filing_queued_key

    _token, client = hotline
    client.post(URL, filing(agency_a, attitude), format="json")
    cache.set(filing_queued_key(), 1)
    assert tasks.file_accepted() == 1
    assert cache.get(filing_queued_key()) is None
    assert Complaint.objects.count() == 1


class _CountingCache:
    """The real cache, counting the flag writes that reach Redis."""

    def __init__(self, real):
        self.real, self.adds = real, 0

    def add(self, *args, **kwargs):
        self.adds += 1
        return self.real.add(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_acceptances_soon_after_a_nudge_share_it_without_calling_redis(
    hotline, agency_a, attitude, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from complaints import acceptance

    settings.COMPLAINTS_FILING_SHARE_MS = 60_000
    counting = _CountingCache(cache)
    monkeypatch.setattr(acceptance, "cache", counting)
    monkeypatch.setattr(acceptance, "_nudged_at", None)
    cache.set(acceptance.filing_queued_key(), 1)  # a run is queued: nothing is published here
    _token, client = hotline
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 202
    assert counting.adds == 1
    acceptance._nudged_at -= 60  # the window has passed: the next acceptance asks Redis again
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, filing(agency_a, attitude), format="json")
    assert counting.adds == 2
    cache.delete(acceptance.filing_queued_key())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_filing_run_keeps_looking_long_enough_to_file_acceptances_that_shared_its_nudge(
    hotline, agency_a, attitude, settings
):
    import threading
    import time

    from django.db import connections

    from complaints.acceptance import accepted_file_draining

    settings.COMPLAINTS_FILING_SHARE_MS = 400  # the run looks for 0.8 s after its last find
    _token, client = hotline
    started, outcome = threading.Event(), {}

    def run():
        try:
            started.set()
            outcome["filed"] = accepted_file_draining(poll_seconds=0.05)
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    started.wait(5)
    time.sleep(0.3)  # after its first look found nothing (not a timed assertion)
    response = client.post(URL, filing(agency_a, attitude), format="json")
    worker.join(30)
    assert not worker.is_alive(), "the run never stopped looking"
    assert outcome["filed"] == 1
    assert Complaint.objects.filter(tracking_no=response.json()["tracking_no"]).exists()


@pytest.mark.parametrize("complaint_id", [None, 42])
def test_the_acceptance_body_is_what_its_documented_serializer_gives(complaint_id):
    import datetime as dt

    from complaints.acceptance import Accepted
    from complaints.api.serializers import ComplaintAcceptedSerializer, accepted_body

    accepted = Accepted(
        tracking_no="XN-2026-000001-3",
        query_code="ABCD-EFGH-JKLM-NPQR",
        expected_by=dt.date(2026, 12, 18),
        created=True,
        complaint_id=complaint_id,
    )
    assert accepted_body(accepted) == ComplaintAcceptedSerializer(accepted).data


def test_each_intake_form_binds_its_own_fields():
    from complaints.api.serializers import ComplaintCreateSerializer

    first = ComplaintCreateSerializer(data={"title": ""})
    second = ComplaintCreateSerializer(data={"title": "窗口态度差"})
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first and second.fields["title"].parent is second
    assert not first.is_valid() and "title" in first.errors
    second.is_valid()
    assert "title" not in second.errors


def test_a_filing_permission_held_through_a_group_is_checked_by_the_statement_too(
    hotline, agency_a, attitude
):
    from django.contrib.auth.models import Group, Permission

    token, client = hotline
    grant = Permission.objects.get(content_type__app_label="complaints", codename="add_complaint")
    group = Group.objects.create(name="接入系统组")
    group.permissions.add(grant)
    token.user.groups.add(group)
    token.user.user_permissions.remove(grant)
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 202
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 202
    token.user.groups.remove(group)  # remembered by the process, refused by the statement
    assert client.post(URL, filing(agency_a, attitude), format="json").status_code == 403
    assert AcceptedFiling.objects.count() == 2


def test_a_filing_error_is_kept_without_the_row_it_quotes():
    from django.db import IntegrityError

    from complaints.acceptance import _error_summary

    error = IntegrityError(
        'new row for relation "complaints_complaint" violates check constraint "x"\n'
        "DETAIL:  Failing row contains (7, 王小明, 13912345678, ...)."
    )
    summary = _error_summary(error)
    assert summary.startswith("IntegrityError: new row for relation")
    assert "13912345678" not in summary and "王小明" not in summary


def test_an_unfiled_row_without_a_next_attempt_is_refused_by_the_database(
    hotline, agency_a, attitude
):
    from django.db import IntegrityError, transaction

    _token, client = hotline
    client.post(URL, filing(agency_a, attitude), format="json")
    with (
        pytest.raises(IntegrityError, match="accepted_filing_unfiled_is_scheduled"),
        transaction.atomic(),
    ):
        AcceptedFiling.objects.update(next_attempt_at=None)
