"""The complainant hears about each step by SMS/e-mail after commit, once; staff in their inbox."""

from __future__ import annotations

from django.core import mail

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import submit
from timelimits.backends import MemorySmsBackend
from timelimits.models import Notification

S = Complaint.State


def test_the_complainant_gets_number_code_and_date_by_sms_and_email(
    agency_a, attitude, centre, settings, django_capture_on_commit_callbacks
):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(agency=agency_a, category=attitude, complainant_email="wang@example.com")
    [sms] = MemorySmsBackend.outbox
    assert sms["to"] == "13912345678"
    assert result.complaint.tracking_no in sms["text"] and result.query_code in sms["text"]
    assert result.expected_by.isoformat() in sms["text"]
    assert len(mail.outbox) == 1 and result.query_code in mail.outbox[0].body


def test_a_rolled_back_step_announces_nothing(agency_a, attitude, centre, settings):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    # No on-commit callbacks run inside the test transaction unless captured and executed.
    submit(agency=agency_a, category=attitude)
    assert MemorySmsBackend.outbox == []


def test_routing_tells_the_unit_head_in_the_inbox(new_complaint, agency_a, walk):
    from organizations.roles import Role
    from tests.conftest import make_staff

    head = make_staff(agency=agency_a, roles=[Role.APPROVER], name="局长")
    head.staff_profile.is_unit_head = True
    head.staff_profile.save()
    walk(new_complaint, S.ROUTED)
    notice = Notification.objects.get(recipient=head)
    assert notice.subject == f"新交办效能投诉 {new_complaint.tracking_no}，请签收"
    assert notice.channel == "in_app"


def test_reply_sends_the_follow_link(
    new_complaint, walk, settings, django_capture_on_commit_callbacks
):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    c = walk(new_complaint, S.CONCLUDED)
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_reply(complaint=c, actor=c.responsible, text="经核实……")
    texts = [m["text"] for m in MemorySmsBackend.outbox]
    assert any(f"/complaints/follow/?no={c.tracking_no}" in t for t in texts)
