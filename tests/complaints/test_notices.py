"""The complainant hears about each step by SMS/e-mail after commit, once; staff in their inbox."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.db import transaction

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import submit
from timelimits import outbox
from timelimits.backends import MemorySmsBackend
from timelimits.models import Notification
from timelimits.tasks import deliver_notifications

S = Complaint.State


@pytest.fixture(autouse=True)
def own_sent_markers(settings):
    """Sent-markers live in Redis and notification ids repeat across fresh test databases."""
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"test-notices-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches


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


def test_a_rolled_back_step_announces_nothing(agency_a, attitude, centre):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(agency=agency_a, category=attitude, complainant_email="wang@example.com")
        assert Notification.objects.filter(to_phone="13912345678").exists()
        raise RuntimeError("the filing failed after the notice was written")
    assert not Notification.objects.filter(recipient__isnull=True).exists()


def test_a_notice_committed_while_the_broker_is_down_is_delivered_once_later(
    agency_a, attitude, centre, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(outbox, "publish_delivery", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(agency=agency_a, category=attitude)
    assert MemorySmsBackend.outbox == []
    notice = Notification.objects.get(to_phone="13912345678")
    assert notice.state == "pending" and result.query_code in notice.body

    deliver_notifications()  # the beat's safety net, or a worker once the broker is back
    deliver_notifications()
    [sms] = MemorySmsBackend.outbox
    assert result.complaint.tracking_no in sms["text"] and result.query_code in sms["text"]
    notice.refresh_from_db()
    assert (notice.state, notice.body) == ("sent", "")  # the query code is not kept


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
