"""The API intake queue in the admin (接口接收队列): the office's read-only view and "retry now".

Rows are accepted through the real API (so their payload holds a complainant's name and
phone); the outsiders are agency staff, a leader, and a clerk who was handed the view
permission but sees one agency only.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import Permission
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from complaints.acceptance import accepted_file_due
from complaints.acceptance_ops import accepted_retry_now
from complaints.admin_acceptance import error_summary
from complaints.models import AcceptedFiling
from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from tests.complaints.api_support import filing, integration
from tests.conftest import login

pytestmark = pytest.mark.django_db

LIST = reverse("admin:complaints_acceptedfiling_changelist")
NAME, PHONE = "王小明", "13912345678"  # the complainant in tests.complaints.api_support.filing
# What a database error's DETAIL line says when a filing fails on a constraint.
ERROR_ECHOING_THE_ROW = (
    'IntegrityError(\'null value in column "title" of relation "complaints_complaint" '
    f"violates not-null constraint\\nDETAIL:  Failing row contains (7, {NAME}, {PHONE}).\\n')"
)


def change_url(row: AcceptedFiling) -> str:
    return reverse("admin:complaints_acceptedfiling_change", args=[row.pk])


@pytest.fixture
def accept(centre, agency_a, attitude):
    """Accept one complaint through POST /api/v1/complaints/; returns its AcceptedFiling row."""
    _token, client = integration(name="12345热线")

    def _accept() -> AcceptedFiling:
        response = client.post("/api/v1/complaints/", filing(agency_a, attitude), format="json")
        assert response.status_code == 202, response.content
        return AcceptedFiling.objects.get(tracking_no=response.json()["tracking_no"])

    return _accept


@pytest.fixture
def queue(accept):
    """One row of each state: filed, queued (never failed), failing (tried twice, due later)."""
    filed = accept()
    assert accepted_file_due() == 1
    queued = accept()
    failing = accept()
    AcceptedFiling.objects.filter(pk=failing.pk).update(
        attempts=2,
        last_error=ERROR_ECHOING_THE_ROW,
        next_attempt_at=timezone.now() + dt.timedelta(minutes=10),
    )
    for row in (filed, queued, failing):
        row.refresh_from_db()
    return filed, queued, failing


def test_the_office_sees_number_account_attempts_filing_and_a_short_error(queue, office_user):
    filed, _queued, failing = queue
    response = login(office_user).get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    for row in queue:
        assert row.tracking_no in html
    assert filed.account.username in html  # the integration account, by its username
    assert reverse("admin:complaints_complaint_change", args=[filed.complaint_id]) in html
    row = html[html.index(failing.tracking_no) :].split("</tr>")[0]
    assert '<td class="field-attempts">2</td>' in row
    assert "IntegrityError(&#x27;null value in column" in row


def test_agency_staff_and_leaders_get_403_on_the_queue_and_its_rows(
    queue, clerk_a, unit_admin_a, leader
):
    _filed, queued, _failing = queue
    for user in (clerk_a, unit_admin_a, leader):
        client = login(user)
        assert client.get(LIST).status_code == 403, user
        assert client.get(change_url(queued)).status_code == 403, user
        assert "acceptedfiling" not in client.get(reverse("admin:index")).content.decode()


def test_a_clerk_handed_the_view_permission_still_gets_403_because_the_queue_spans_all_agencies(
    queue, clerk_a
):
    clerk_a.user_permissions.add(Permission.objects.get(codename="view_acceptedfiling"))
    clerk = type(clerk_a).objects.get(pk=clerk_a.pk)  # drop the permission cache
    assert clerk.has_perm("complaints.view_acceptedfiling")
    assert login(clerk).get(LIST).status_code == 403


def test_the_complainant_identity_in_the_payload_never_reaches_the_page(queue, office_user):
    _filed, queued, failing = queue
    assert queued.payload["complainant_name"] == NAME  # positive control: the payload holds it
    assert queued.payload["complainant_phone"] == PHONE
    client = login(office_user)
    pages = [
        client.get(LIST),
        client.get(LIST, {"filing": "failing"}),
        client.get(change_url(queued)),
        client.get(change_url(failing)),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert NAME not in html and PHONE not in html
        assert "窗口人员态度恶劣" not in html  # nor the rest of the payload (the title)


def test_the_page_is_read_only_no_add_change_or_delete(queue, office_user):
    _filed, queued, _failing = queue
    client = login(office_user)
    assert client.get(reverse("admin:complaints_acceptedfiling_add")).status_code == 403
    assert client.post(change_url(queued), {"attempts": 9}).status_code == 403
    delete = reverse("admin:complaints_acceptedfiling_delete", args=[queued.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AcceptedFiling.objects.get(pk=queued.pk).attempts == 0


def test_the_state_filter_separates_filed_queued_and_failing(queue, office_user):
    filed, queued, failing = queue
    client = login(office_user)
    expected = {"filed": filed, "waiting": queued, "failing": failing}
    for value, row in expected.items():
        html = client.get(LIST, {"filing": value}).content.decode()
        shown = {r.tracking_no for r in queue if r.tracking_no in html}
        assert shown == {row.tracking_no}, value


def test_search_finds_a_row_by_its_tracking_number_typed_in_lower_case(queue, office_user):
    _filed, queued, failing = queue
    html = login(office_user).get(LIST, {"q": f"  {queued.tracking_no.lower()} "}).content.decode()
    assert queued.tracking_no in html and failing.tracking_no not in html


def test_retry_now_makes_the_selected_waiting_rows_due_now_and_audits_each(queue, office_user):
    filed, queued, failing = queue
    before = timezone.now()
    response = login(office_user).post(
        LIST,
        {"action": "retry_now", "index": 0, "_selected_action": [filed.pk, failing.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "已安排 1 条立即重新立案。" in html
    assert "1 条已立案或正在立案，未作改动。" in html
    failing_now = AcceptedFiling.objects.get(pk=failing.pk)
    assert before <= failing_now.next_attempt_at <= timezone.now()
    assert failing_now.attempts == 2 and failing_now.last_error  # its history stays
    assert AcceptedFiling.objects.get(pk=filed.pk).next_attempt_at is None
    assert AcceptedFiling.objects.get(pk=queued.pk).next_attempt_at == queued.next_attempt_at
    event = AuditEvent.objects.get(verb="accepted_filing.retry_now")
    assert event.actor == office_user
    assert (event.subject_type, event.subject_id) == ("complaints.acceptedfiling", str(failing.pk))
    assert event.data == {
        "tracking_no": failing.tracking_no,
        "attempts": 2,
        "was_due_at": failing.next_attempt_at.isoformat(),
    }


def test_a_retried_row_is_filed_by_the_next_run(queue, office_user):
    _filed, _queued, failing = queue
    AcceptedFiling.objects.filter(pk=failing.pk).update(last_error="")  # the cause was fixed
    accepted_retry_now(rows_qs=AcceptedFiling.objects.filter(pk=failing.pk), actor=office_user)
    assert accepted_file_due() == 2  # the queued row and the retried one
    assert AcceptedFiling.objects.get(pk=failing.pk).complaint_id is not None


def test_retry_now_is_refused_to_anyone_but_the_office(queue, clerk_a, leader):
    _filed, _queued, failing = queue
    for user in (clerk_a, leader, None):
        with pytest.raises(ApplicationError) as refused:
            accepted_retry_now(rows_qs=AcceptedFiling.objects.all(), actor=user)
        assert refused.value.message == "只有效能办可以安排立即重新立案。"
    assert AcceptedFiling.objects.get(pk=failing.pk).next_attempt_at == failing.next_attempt_at
    assert not AuditEvent.objects.filter(verb="accepted_filing.retry_now").exists()


def test_error_summary_keeps_the_first_line_and_masks_phone_and_id_numbers():
    assert error_summary(ERROR_ECHOING_THE_ROW) == (
        'IntegrityError(\'null value in column "title" of relation '
        '"complaints_complaint" violates not-null constraint'
    )
    assert error_summary("ValueError('bad phone 13912345678')") == (
        "ValueError('bad phone 139********')"
    )
    assert len(error_summary("x" * 500)) == 120
    assert error_summary("") == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_retry_now_leaves_alone_a_row_a_filing_run_is_holding(accept, office_user):
    held, free = accept(), accept()
    holds_lock, release = threading.Event(), threading.Event()

    def filing_run():
        try:
            with transaction.atomic():
                AcceptedFiling.objects.select_for_update().get(pk=held.pk)
                holds_lock.set()
                release.wait(30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=filing_run)
    worker.start()
    try:
        assert holds_lock.wait(30)
        changed = accepted_retry_now(
            rows_qs=AcceptedFiling.objects.filter(pk__in=[held.pk, free.pk]), actor=office_user
        )
    finally:
        release.set()
        worker.join(30)
    assert changed == 1
    assert AuditEvent.objects.get(verb="accepted_filing.retry_now").subject_id == str(free.pk)
