"""The complainant hears about each step by SMS/e-mail after commit, once; staff in their inbox."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import approver_for, submit
from tests.conftest import login
from timelimits import outbox
from timelimits.backends import MemorySmsBackend
from timelimits.digest import digests_compose
from timelimits.models import DigestItem, Notification
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


def _head(agency, name):
    from organizations.roles import Role
    from tests.conftest import make_staff

    head = make_staff(agency=agency, roles=[Role.APPROVER], name=name)
    head.staff_profile.is_unit_head = True
    head.staff_profile.save()
    return head


def _next_morning():
    """09:00 tomorrow (Asia/Shanghai): after the seeded 08:30 digest time, after every notice."""
    from tests.timelimits.conftest import at

    tomorrow = timezone.localtime().date() + dt.timedelta(days=1)
    return at(tomorrow.year, tomorrow.month, tomorrow.day, 9, 0)


def test_routing_notifies_every_clerk_of_the_handling_agency_and_nobody_in_another_agency(
    new_complaint, agency_a, clerk_a, clerk_b, sub_agency_a, walk
):
    from organizations.roles import Role
    from tests.conftest import make_staff

    second_clerk = make_staff(agency=agency_a, roles=[Role.HANDLER], name="周承办")
    gone = make_staff(agency=agency_a, roles=[Role.HANDLER], name="吴离职")
    gone.is_active = False
    gone.save()
    reviewer = make_staff(agency=agency_a, roles=[Role.REVIEWER], name="郑审核")
    head = _head(agency_a, "局长")
    branch_clerk = make_staff(agency=sub_agency_a, roles=[Role.HANDLER], name="陈分局")
    walk(new_complaint, S.ROUTED)
    routed = Notification.objects.filter(kind="complaint.routed")
    assert set(routed.values_list("recipient", flat=True)) == {clerk_a.pk, second_clerk.pk}
    for notice in routed:
        assert notice.subject == f"新交办效能投诉 {new_complaint.tracking_no}，请签收"
        assert notice.link == f"/admin/complaints/complaint/{new_complaint.pk}/change/"
    for outsider in (clerk_b, branch_clerk, head, reviewer, gone):
        assert not Notification.objects.filter(recipient=outsider).exists()


def test_routing_reaches_the_unit_heads_of_an_agency_without_clerks(
    new_complaint, agency_b, office_user, centre
):
    head = _head(agency_b, "局长")
    services.complaint_register(complaint=new_complaint, actor=office_user)
    c = services.complaint_plan(
        complaint=new_complaint,
        actor=office_user,
        routing=Complaint.Routing.TRANSFER,
        agency=agency_b,
    )
    services.complaint_plan_approve(complaint=c, actor=approver_for(office_user))
    [notice] = Notification.objects.filter(kind="complaint.routed")
    assert notice.recipient == head


def test_a_case_to_sign_for_is_an_immediate_notice(new_complaint, clerk_a, walk):
    walk(new_complaint, S.ROUTED)
    notice = Notification.objects.get(recipient=clerk_a, kind="complaint.routed")
    assert (notice.channel, notice.read_at) == ("in_app", None)
    assert not DigestItem.objects.filter(recipient=clerk_a).exists()


def test_a_signed_for_case_makes_no_immediate_notice_only_a_digest_item(
    new_complaint, office_user, walk
):
    walk(new_complaint, S.HANDLING)
    assert not Notification.objects.filter(recipient=office_user, kind="complaint.signed").exists()
    [item] = DigestItem.objects.filter(recipient=office_user)
    assert item.kind == "complaint.signed" and item.digest is None
    assert item.link == f"/admin/complaints/complaint/{new_complaint.pk}/change/"


def test_an_extension_to_decide_is_immediate_and_its_decision_goes_into_the_digest(
    new_complaint, clerk_a, office_user, walk
):
    c = walk(new_complaint, S.HANDLING)
    request = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="需现场核查")
    notice = Notification.objects.get(recipient=office_user, kind="complaint.extension_requested")
    assert notice.subject == f"投诉 {c.tracking_no} 申请延期，请审批"
    services.complaint_decide_extension(request=request, actor=office_user, approve=True)
    assert not Notification.objects.filter(recipient=clerk_a, kind="complaint.extension").exists()
    item = DigestItem.objects.get(recipient=clerk_a, kind="complaint.extension")
    assert item.subject == f"投诉 {c.tracking_no} 延期申请：已批准"
    with translation.override("en"):
        assert (
            item.display_subject() == f"Extension request for complaint {c.tracking_no}: Approved"
        )


def test_n_signed_for_cases_in_a_day_make_exactly_one_digest_for_the_first_receiver(
    agency_a, attitude, office_user, walk
):
    cases = [walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING) for _ in "abc"]
    morning = _next_morning()
    assert digests_compose(now=morning) == 1
    assert digests_compose(now=morning) == 0  # the beat runs again: nothing more
    [digest] = Notification.objects.filter(recipient=office_user, kind="digest")
    assert digest.subject == "每日汇总：3 条知悉事项"
    assert digest.dedupe_key == f"digest:{morning.date().isoformat()}"
    for case in cases:
        assert case.tracking_no in digest.body
    items = DigestItem.objects.filter(recipient=office_user)
    assert {i.digest_id for i in items} == {digest.pk}
    html = login(office_user).get(f"/admin/timelimits/notification/{digest.pk}/change/")
    for case in cases:
        assert f'href="/admin/complaints/complaint/{case.pk}/change/"' in html.content.decode()


def test_the_english_inbox_shows_english_subjects(new_complaint, clerk_a, walk):
    walk(new_complaint, S.ROUTED)
    html = (
        login(clerk_a)
        .get("/admin/timelimits/notification/", headers={"accept-language": "en"})
        .content.decode()
    )
    assert f"New efficiency complaint {new_complaint.tracking_no} assigned to you" in html
    assert "新交办效能投诉" not in html


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
