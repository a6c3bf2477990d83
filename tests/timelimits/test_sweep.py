"""The sweep: lights at warn_at and due_at, the 督办 ladder, one event per change, no floods."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_staff
from tests.timelimits.conftest import at
from timelimits.models import Deadline, DeadlineEvent, Notification
from timelimits.services import deadline_extend, deadline_start
from timelimits.sweep import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_a(agency_a):
    user = make_staff(agency=agency_a, roles=["承办人"], name="孙局长")
    user.staff_profile.is_unit_head = True
    user.staff_profile.save()
    return user


def start(subject, agency, responsible=None, kind="complaint.handle"):
    return deadline_start(
        subject=subject,
        kind=kind,
        agency=agency,
        responsible=responsible,
        started_at=at(2026, 3, 2),
    )


def events(deadline):
    return list(DeadlineEvent.objects.filter(deadline=deadline).values_list("type", "level"))


def test_light_turns_yellow_at_warn_at_and_red_at_due_at(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a, clerk_a)
    assert sweep(now=at(2026, 3, 20, 17, 0)).changed == 0
    assert sweep(now=at(2026, 3, 20, 17, 30)).changed == 1
    deadline.refresh_from_db()
    assert deadline.light == "yellow"
    assert deadline.next_action_at == deadline.due_at
    sweep(now=at(2026, 3, 23, 17, 30))
    deadline.refresh_from_db()
    assert (deadline.light, deadline.escalation_level) == ("red", 1)
    assert events(deadline) == [("start", 0), ("warn", 0), ("overdue", 0), ("escalate", 1)]


def test_yellow_notice_goes_to_the_responsible_person_once(subject, agency_a, clerk_a):
    start(subject, agency_a, clerk_a)
    sweep(now=at(2026, 3, 21))
    sweep(now=at(2026, 3, 21))
    rows = Notification.objects.filter(recipient=clerk_a)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert rows.first().subject == "【黄灯】即将到期"


def test_a_sweep_three_days_late_lands_in_the_right_state_with_one_event_per_level(
    subject, agency_a, clerk_a, head_a, office_user
):
    deadline = start(subject, agency_a, clerk_a)
    # Due 3/23 17:30; ladder: L1 at due, L2 three working days later (3/26 17:30).
    result = sweep(now=at(2026, 3, 27, 9))
    deadline.refresh_from_db()
    assert (deadline.light, deadline.escalation_level) == ("red", 2)
    assert events(deadline) == [
        ("start", 0),
        ("warn", 0),
        ("overdue", 0),
        ("escalate", 1),
        ("escalate", 2),
    ]
    # Each event is dated when it was due, not when the late sweep ran.
    overdue = DeadlineEvent.objects.get(deadline=deadline, type="overdue")
    assert overdue.at == at(2026, 3, 23, 17, 30)
    # Only the final state is announced: level 2 goes to the unit head and the office.
    assert not Notification.objects.filter(recipient=clerk_a).exists()
    assert Notification.objects.filter(recipient=head_a).count() == 2  # in-app + e-mail
    assert Notification.objects.filter(recipient=office_user).count() == 2
    assert result.changed == 1
    # Running it again changes nothing and announces nothing.
    assert sweep(now=at(2026, 3, 27, 9)).changed == 0
    assert Notification.objects.count() == 4
    # Next: level 3, ten working days after due (Qingming 4/4–4/6 skipped).
    assert deadline.next_action_at == at(2026, 4, 7, 17, 30)


def test_unit_head_with_thirty_overdue_items_gets_one_digest(agency_a, clerk_a, head_a, category):
    from tests.conftest import make_agency

    for n in range(30):
        subject = make_agency(name=f"对象{n}", category=category)
        start(subject, agency_a, clerk_a, kind="complaint.sign_for")
    sweep(now=at(2026, 3, 3, 18))  # due 3/3 17:30
    head_rows = Notification.objects.filter(recipient=head_a)
    assert head_rows.count() == 3  # one digest per channel: in-app, e-mail, SMS
    digest = head_rows.get(channel="in_app")
    assert digest.subject == "时限提醒汇总：30 项"
    assert "另有 10 项" in digest.body
    assert Notification.objects.filter(recipient=clerk_a, channel="sms").count() == 30


def test_extension_after_red_turns_the_light_back_and_a_new_red_is_announced_again(
    subject, agency_a, clerk_a, office_user
):
    # Services act at the real "now", so this clock starts 25 days ago: red, then extended.
    started = timezone.now() - dt.timedelta(days=25)
    deadline = deadline_start(
        subject=subject,
        kind="complaint.handle",
        agency=agency_a,
        responsible=clerk_a,
        started_at=started,
    )
    sweep()
    deadline.refresh_from_db()
    assert deadline.light == "red"
    deadline_extend(deadline=deadline, amount=15, approver=office_user, reason="补充调查")
    deadline.refresh_from_db()
    assert deadline.light in ("green", "yellow") and deadline.escalation_level == 0
    assert DeadlineEvent.objects.get(deadline=deadline, type="extend").light == deadline.light
    sweep(now=deadline.due_at)
    deadline.refresh_from_db()
    assert deadline.light == "red"
    # The new red state is a new notice (the first red was for the old due time).
    new_key = f":{deadline.due_at.timestamp():.0f}"
    assert Notification.objects.filter(recipient=clerk_a, dedupe_key__endswith=new_key).exists()


def test_paused_clock_is_not_swept(subject, agency_a, clerk_a):
    from timelimits.services import deadline_pause

    deadline = start(subject, agency_a, clerk_a)
    deadline_pause(deadline=deadline, reason="鉴定", actor=clerk_a, at=at(2026, 3, 3))
    assert sweep(now=at(2026, 5, 1)).changed == 0
    assert Deadline.objects.get(pk=deadline.pk).light == "green"


def test_the_beat_task_runs_the_sweep(subject, agency_a, clerk_a, settings):
    from timelimits.tasks import sweep_deadlines

    deadline = deadline_start(
        subject=subject,
        kind="complaint.sign_for",
        agency=agency_a,
        responsible=clerk_a,
        started_at=timezone.now() - dt.timedelta(days=10),
    )
    assert sweep_deadlines.apply().get() == 1
    deadline.refresh_from_db()
    assert deadline.light == "red"
    from efficiency_portal.schedule import full_schedule

    settings.TIMELIMITS_SWEEP_SECONDS = 45
    assert full_schedule()["timelimits-sweep"] == {
        "task": "timelimits.sweep_deadlines",
        "schedule": 45.0,
    }


def test_a_clock_notice_links_to_its_case_not_to_the_clock(subject, agency_a, clerk_a):
    start(subject, agency_a, clerk_a)
    sweep(now=at(2026, 3, 24))  # red
    notice = Notification.objects.filter(recipient=clerk_a, channel="in_app").first()
    assert notice.link == f"/admin/organizations/agency/{subject.pk}/change/"


def test_a_clock_notice_reads_in_english_in_the_english_inbox(subject, agency_a, clerk_a):
    from django.utils import translation

    start(subject, agency_a, clerk_a)
    sweep(now=at(2026, 3, 21))  # yellow
    sweep(now=at(2026, 3, 24))  # red, and the ladder's first rung
    yellow, rung = Notification.objects.filter(recipient=clerk_a, channel="in_app").order_by("id")
    assert (yellow.subject, rung.subject) == ("【黄灯】即将到期", "【督办通知】第 1 级督办")
    with translation.override("en"):
        assert yellow.display_subject() == "[Yellow] due soon"
        assert rung.display_subject() == "[督办通知] escalation level 1"
