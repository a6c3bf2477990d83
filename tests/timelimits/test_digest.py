"""Notices that need no action wait for ONE digest per person per day; the policy and the time are data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from organizations.models import AuditEvent
from tests.conftest import login, make_staff
from tests.timelimits.conftest import at
from timelimits.digest import compose_digests, digests_compose
from timelimits.models import DigestItem, DigestSchedule, NoticePolicy, Notification
from timelimits.notice_config import digest_schedule_save, notice_policy_save
from timelimits.services import notify

pytestmark = pytest.mark.django_db


def _tomorrow(hh: int, mm: int = 0) -> dt.datetime:
    day = timezone.localtime().date() + dt.timedelta(days=1)
    return at(day.year, day.month, day.day, hh, mm)


@pytest.fixture
def info_kind(db):
    return NoticePolicy.objects.create(code="test.info", name="知悉", delivery="digest")


def test_a_digest_kind_makes_no_immediate_notice(clerk_a, info_kind):
    notify(recipient=clerk_a, subject="已签收", dedupe_key="k:1", kind="test.info")
    assert not Notification.objects.filter(recipient=clerk_a).exists()
    [item] = DigestItem.objects.filter(recipient=clerk_a)
    assert (item.subject, item.digest) == ("已签收", None)


def test_an_action_needed_kind_is_sent_at_once(clerk_a):
    NoticePolicy.objects.create(code="test.act", name="待办", delivery="immediate")
    notify(recipient=clerk_a, subject="请签收", dedupe_key="k:1", kind="test.act")
    assert Notification.objects.get(recipient=clerk_a).kind == "test.act"
    assert not DigestItem.objects.exists()


def test_a_kind_without_a_policy_is_sent_at_once(clerk_a):
    notify(recipient=clerk_a, subject="新事项", dedupe_key="k:1", kind="test.unknown")
    assert Notification.objects.filter(recipient=clerk_a).count() == 1


def test_n_digest_kind_changes_in_a_day_make_exactly_one_digest_per_person(
    clerk_a, clerk_b, info_kind
):
    for n in range(5):
        notify(recipient=clerk_a, subject=f"事项{n}", dedupe_key=f"k:{n}", kind="test.info")
    notify(recipient=clerk_b, subject="别人的事项", dedupe_key="k:0", kind="test.info")
    morning = _tomorrow(9)
    assert digests_compose(now=morning) == 2
    assert digests_compose(now=morning) == 0  # a second run that day sends nothing
    [mine] = Notification.objects.filter(recipient=clerk_a)
    assert mine.kind == "digest" and mine.subject == "每日汇总：5 条知悉事项"
    assert mine.body.splitlines() == [f"· 事项{n}" for n in range(5)]
    assert mine.link == f"/admin/timelimits/notification/{mine.pk}/change/"
    [theirs] = Notification.objects.filter(recipient=clerk_b)
    assert "别人的事项" in theirs.body and "事项0" not in theirs.body.replace("别人的事项", "")


def test_the_beat_task_composes_the_digest_once(clerk_a, info_kind):
    notify(recipient=clerk_a, subject="事项", dedupe_key="k:1", kind="test.info")
    # The task reads the real clock: an item from yesterday and a digest time of midnight
    # make today's digest due whatever the time of the run.
    DigestItem.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    digest_schedule_save(schedule=DigestSchedule(send_at=dt.time(0, 0)), actor=None)
    compose_digests()
    compose_digests()
    assert Notification.objects.filter(recipient=clerk_a, kind="digest").count() == 1


def test_an_item_written_after_the_days_digest_waits_for_the_next_day(clerk_a, info_kind):
    notify(recipient=clerk_a, subject="早", dedupe_key="k:1", kind="test.info")
    assert digests_compose(now=_tomorrow(9)) == 1
    notify(recipient=clerk_a, subject="晚", dedupe_key="k:2", kind="test.info")
    assert digests_compose(now=_tomorrow(10)) == 0  # today's digest is out
    day_after = _tomorrow(9) + dt.timedelta(days=1)
    assert digests_compose(now=day_after) == 1
    latest = Notification.objects.filter(recipient=clerk_a).order_by("-id").first()
    assert latest.body == "· 晚"


def test_the_digest_time_is_data(clerk_a, info_kind, sysadmin):
    notify(recipient=clerk_a, subject="事项", dedupe_key="k:1", kind="test.info")
    assert DigestSchedule.objects.get().send_at == dt.time(8, 30)  # seeded
    digest_schedule_save(schedule=DigestSchedule(send_at=dt.time(10, 0)), actor=sysadmin)
    assert digests_compose(now=_tomorrow(9)) == 0
    assert digests_compose(now=_tomorrow(10, 5)) == 1
    event = AuditEvent.objects.get(verb="timelimits.digest_schedule.update")
    assert event.actor == sysadmin and event.data["changes"]["send_at"] == ["08:30:00", "10:00:00"]


def test_which_kinds_are_digested_is_data_edited_through_an_audited_service(clerk_a, sysadmin):
    policy = NoticePolicy.objects.get(code="complaint.signed")  # seeded
    assert policy.delivery == "digest"
    policy.delivery = "immediate"
    notice_policy_save(policy=policy, actor=sysadmin)
    notify(recipient=clerk_a, subject="已签收", dedupe_key="k:1", kind="complaint.signed")
    assert Notification.objects.filter(recipient=clerk_a).count() == 1
    event = AuditEvent.objects.get(verb="timelimits.notice_policy.update")
    assert event.data["changes"]["delivery"] == ["digest", "immediate"]


def test_a_notice_policy_with_a_taken_code_is_refused_with_the_form_kept(sysadmin):
    response = login(sysadmin).post(
        "/admin/timelimits/noticepolicy/add/",
        {"code": "complaint.signed", "name": "重复的规则", "delivery": "digest"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已存在" in html and "重复的规则" in html
    assert NoticePolicy.objects.filter(code="complaint.signed").count() == 1


@pytest.fixture
def sysadmin(category):
    from organizations.roles import Role
    from tests.conftest import make_agency

    it = make_agency(name="市大数据局", category=category)
    return make_staff(agency=it, roles=[Role.SYSADMIN], name="系统管理员")
