"""Graded 督办: the level's limit on the engine, the agency's written answer, escalation when late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from complaints import clocks, selectors, services
from complaints.models import Complaint, ComplaintEvent, Supervision, SupervisionLevel
from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from organizations.roles import Role
from supervision.registry import discover
from tests.conftest import login, make_staff
from timelimits import calendar
from timelimits.models import Deadline, DeadlineEvent, Notification, TimeLimitPolicy, Unit
from timelimits.sweep import sweep

S = Complaint.State
pytestmark = pytest.mark.django_db


def level(code: str) -> SupervisionLevel:
    return SupervisionLevel.objects.get(code=code)


def answer_clock(supervision: Supervision) -> Deadline:
    return Deadline.objects.get(
        subject_type=ContentType.objects.get_for_model(Supervision),
        subject_id=supervision.pk,
        kind=clocks.SUPERVISION_ANSWER,
    )


@pytest.fixture
def handling(new_complaint, walk):
    return walk(new_complaint, S.HANDLING)


@pytest.fixture
def head_a(agency_a):
    user = make_staff(agency=agency_a, roles=[Role.HANDLER], name="孙局长")
    user.staff_profile.is_unit_head = True
    user.staff_profile.save()
    return user


def supervise(complaint, office, code="general", **kwargs) -> Supervision:
    return services.complaint_supervise(
        complaint=complaint,
        actor=office,
        instruction="请于期限内书面报告办理情况。",
        level=level(code),
        **kwargs,
    )


def whole_day(day: dt.date):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    end = start + dt.timedelta(days=1)
    return lambda field: Q(**{f"{field}__gte": start, f"{field}__lt": end})


def test_the_three_levels_are_seeded_mild_to_severe_with_english_names():
    rows = list(SupervisionLevel.objects.values_list("code", "name", "name_en"))
    assert rows == [
        ("general", "一般督办", "General supervision"),
        ("key", "重点督办", "Priority supervision"),
        ("listed", "挂牌督办", "Listed supervision"),
    ]


@pytest.mark.parametrize("code", ["general", "key", "listed"])
def test_the_levels_limit_sets_the_answer_due_date_in_working_days(handling, office_user, code):
    supervision = supervise(handling, office_user, code)
    deadline = answer_clock(supervision)
    policy = TimeLimitPolicy.objects.get(kind=clocks.SUPERVISION_ANSWER, category=code)
    assert deadline.policy == policy
    assert deadline.started_at == supervision.issued_at
    assert calendar.working_days_between(deadline.started_at, deadline.due_at) == policy.limit
    assert calendar.is_working_day(deadline.due_at)
    assert deadline.agency == handling.handling_agency


def test_supervision_is_addressed_to_the_handling_agency_and_its_responsible_clerk(
    handling, office_user, clerk_a
):
    supervision = supervise(handling, office_user)
    assert supervision.recipient_agency == handling.handling_agency
    assert supervision.recipient_person is None
    assert answer_clock(supervision).responsible == clerk_a
    event = ComplaintEvent.objects.get(complaint=handling, verb="supervise")
    assert event.data["level"] == "general"
    assert event.data["supervision"] == supervision.pk
    assert Notification.objects.filter(
        recipient=clerk_a, subject__startswith="督办：投诉", subject__contains="一般督办"
    ).exists()


def test_a_named_recipient_must_belong_to_the_handling_agency(
    handling, office_user, agency_a, clerk_b
):
    colleague = make_staff(agency=agency_a, roles=[Role.HANDLER], name="周承办")
    supervision = supervise(handling, office_user, "key", recipient_person=colleague)
    assert answer_clock(supervision).responsible == colleague
    with pytest.raises(
        ApplicationError, match="督办对象人员须是承办单位（市市场监督管理局）的工作人员。"
    ):
        supervise(handling, office_user, "key", recipient_person=clerk_b)


def test_a_case_not_yet_routed_has_no_agency_to_supervise(new_complaint, office_user, walk):
    registered = walk(new_complaint, S.REGISTERED)
    with pytest.raises(ApplicationError, match="尚未交办，没有可督办的承办单位。"):
        supervise(registered, office_user)
    assert not Supervision.objects.exists()


def test_the_written_answer_stops_the_clock_as_met(handling, office_user, clerk_a):
    supervision = supervise(handling, office_user, "listed")
    assert [s.pk for s in selectors.supervisions_awaiting_answer(user=clerk_a)] == [supervision.pk]
    services.complaint_supervision_answer(
        supervision=supervision, actor=clerk_a, answer="已约谈窗口负责人，整改情况如下……"
    )
    supervision.refresh_from_db()
    assert supervision.answered_by == clerk_a
    assert supervision.answer == "已约谈窗口负责人，整改情况如下……"
    assert answer_clock(supervision).state == Deadline.State.MET
    assert ComplaintEvent.objects.filter(complaint=handling, verb="answer_supervision").exists()
    assert Notification.objects.filter(
        recipient=office_user, subject__startswith="督办已答复"
    ).exists()
    assert not selectors.supervisions_awaiting_answer(user=clerk_a).exists()
    with pytest.raises(ApplicationError, match="该督办已答复。"):
        services.complaint_supervision_answer(supervision=supervision, actor=clerk_a, answer="再答")


def test_a_returned_case_cancels_the_answer_its_former_agency_owed(
    new_complaint, walk, office_user, clerk_a
):
    routed = walk(new_complaint, Complaint.State.ROUTED)
    supervision = supervise(routed, office_user)
    services.complaint_return(complaint=routed, actor=clerk_a, reason="不属于本单位职责。")
    assert answer_clock(supervision).state == Deadline.State.CANCELLED
    assert not selectors.supervisions_awaiting_answer(user=office_user).exists()
    # No red card or escalation follows for an answer nobody owes any more.
    sweep(now=timezone.now() + dt.timedelta(days=60))
    assert answer_clock(supervision).light != Deadline.Light.RED


def test_an_empty_answer_is_refused_and_the_clock_keeps_running(handling, office_user, clerk_a):
    supervision = supervise(handling, office_user)
    with pytest.raises(ApplicationError, match="请填写书面答复。"):
        services.complaint_supervision_answer(supervision=supervision, actor=clerk_a, answer="  ")
    assert answer_clock(supervision).state == Deadline.State.RUNNING


def test_another_agency_cannot_answer_nor_the_office_answer_its_own(
    handling, office_user, clerk_a, clerk_b
):
    supervision = supervise(handling, office_user)
    for outsider in (clerk_b, office_user):
        with pytest.raises(
            ApplicationError, match="只有督办对象单位（市市场监督管理局）的承办人员可以答复督办。"
        ):
            services.complaint_supervision_answer(
                supervision=supervision, actor=outsider, answer="代为答复"
            )
    assert not selectors.supervisions_awaiting_answer(user=clerk_b).exists()
    supervision.refresh_from_db()
    assert supervision.answered_at is None
    # In the admin: the other agency does not see the case; the office has no 答复督办 button.
    url = reverse("admin:complaints_complaint_act", args=[handling.pk, "answer_supervision"])
    assert login(clerk_b).get(url).status_code == 404
    assert login(office_user).get(url).status_code == 404
    assert login(clerk_a).get(url).status_code == 200


def test_a_missed_answer_turns_red_and_escalates_through_the_sweep(
    handling, office_user, clerk_a, head_a
):
    # From here on a 挂牌 answer is due the moment it is asked for (a real policy, real clock),
    # so the answer given below is late.
    TimeLimitPolicy.objects.filter(kind=clocks.SUPERVISION_ANSWER, category="listed").update(
        unit=Unit.HOURS, limit=0, warn_before=None
    )
    supervision = supervise(handling, office_user, "listed")
    deadline = answer_clock(supervision)
    # Well past the top of the 挂牌 ladder (3 working days after due).
    sweep(now=deadline.due_at + dt.timedelta(days=20))
    deadline.refresh_from_db()
    assert (deadline.light, deadline.escalation_level) == ("red", 3)
    types = list(DeadlineEvent.objects.filter(deadline=deadline).values_list("type", "level"))
    assert types == [
        ("start", 0),
        ("overdue", 0),
        ("escalate", 1),
        ("escalate", 2),
        ("escalate", 3),
    ]
    # The top rung goes to the office; the rung before to the unit head (and the office).
    assert Notification.objects.filter(recipient=office_user, subject__startswith="时限提醒汇总")
    proposals = DeadlineEvent.objects.filter(deadline=deadline, type="escalate").values_list(
        "data__proposal", flat=True
    )
    assert "约谈单位负责人（建议）" in list(proposals)
    # Still awaiting, red, in the 督办件 list; answered late, the clock is missed.
    awaiting = selectors.supervisions_awaiting_answer(user=clerk_a).get()
    assert awaiting.answer_light == "red"
    services.complaint_supervision_answer(supervision=supervision, actor=clerk_a, answer="迟复")
    assert answer_clock(supervision).state == Deadline.State.MISSED


def test_a_late_answer_is_a_red_card_like_any_other(handling, office_user):
    supervision = supervise(handling, office_user, "key")
    deadline = answer_clock(supervision)
    sweep(now=deadline.due_at + dt.timedelta(hours=1))
    red_cards = discover().indicators["timelimits.red_cards"]
    rows = list(red_cards.daily(within=whole_day(timezone.localtime(deadline.due_at).date())))
    assert {(r["agency_id"], r["part"], r["numerator"]) for r in rows} >= {
        (handling.handling_agency_id, clocks.SUPERVISION_ANSWER, 1)
    }


def test_the_answer_on_time_rate_counts_met_against_met_missed_and_red(
    handling, office_user, clerk_a, agency_a, attitude, walk
):
    from tests.complaints.conftest import submit

    on_time = supervise(handling, office_user, "key")
    services.complaint_supervision_answer(supervision=on_time, actor=clerk_a, answer="已办结")
    other = walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING)
    late = supervise(other, office_user, "key")
    supervise(other, office_user, "listed")  # open and green: not yet counted
    sweep(now=answer_clock(late).due_at + dt.timedelta(hours=1))
    answer_clock(late).refresh_from_db()
    # Sweeping at a later moment turns the 挂牌 one red too, unless its due time is later.
    indicator = discover().indicators["complaints.supervision_answer_on_time"]
    assert indicator.is_rate
    rows = list(indicator.daily(within=whole_day(timezone.localdate())))
    key = [r for r in rows if r["part"] == "key"]
    assert [(r["agency_id"], r["numerator"], r["denominator"]) for r in key] == [
        (agency_a.pk, 1, 2)
    ]
    cases = indicator.cases(
        agency_ids=[agency_a.pk], within=whole_day(timezone.localdate()), part="key"
    )
    assert set(cases.values_list("pk", flat=True)) == {handling.pk, other.pk}


def test_supervision_shows_on_the_case_with_level_recipient_due_and_answer(
    handling, office_user, clerk_a
):
    supervision = supervise(handling, office_user, "listed")
    page = login(office_user).get(reverse("admin:complaints_complaint_change", args=[handling.pk]))
    html = page.content.decode()
    assert "挂牌督办" in html
    assert "市市场监督管理局" in html
    due = timezone.localtime(answer_clock(supervision).due_at).strftime("%Y-%m-%d %H:%M")
    assert due in html
    assert "待答复" in html
    services.complaint_supervision_answer(supervision=supervision, actor=clerk_a, answer="书面报告")
    html = (
        login(office_user)
        .get(reverse("admin:complaints_complaint_change", args=[handling.pk]))
        .content.decode()
    )
    assert "已按时答复" in html and "书面报告" in html


def test_the_admin_buttons_issue_and_answer_a_graded_supervision(handling, office_user, clerk_a):
    office = login(office_user)
    url = reverse("admin:complaints_complaint_act", args=[handling.pk, "supervise"])
    form = office.get(url).content.decode()
    assert "挂牌督办（3 工作日内书面答复）" in form
    assert "张承办" in form  # the handling agency's staff, to name one as the recipient
    assert "督办对象单位：市市场监督管理局" in form
    response = office.post(
        url,
        {"level": level("listed").pk, "recipient_person": clerk_a.pk, "instruction": "限期报告"},
    )
    assert response.status_code == 302
    supervision = Supervision.objects.get(complaint=handling)
    assert (supervision.level.code, supervision.recipient_person) == ("listed", clerk_a)
    # A bad submission comes back with the message and what was typed.
    empty = office.post(url, {"level": level("key").pk, "instruction": "   "})
    assert empty.status_code == 200 and "该字段是必填项。" in empty.content.decode()
    assert Supervision.objects.filter(complaint=handling).count() == 1
    clerk = login(clerk_a)
    url = reverse("admin:complaints_complaint_act", args=[handling.pk, "answer_supervision"])
    response = clerk.post(url, {"supervision": supervision.pk, "answer": "已整改并书面报告"})
    assert response.status_code == 302
    supervision.refresh_from_db()
    assert supervision.answer == "已整改并书面报告"
    assert clerk.get(url).status_code == 404  # nothing left to answer: no button


def test_a_listed_levels_limit_is_data_and_editing_it_in_the_admin_is_audited(
    handling, office_user, admin_client
):
    listed = level("listed")
    running = answer_clock(supervise(handling, office_user, "listed"))
    url = reverse("admin:complaints_supervisionlevel_change", args=[listed.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="limit"' in page and 'value="3"' in page
    response = admin_client.post(
        url,
        {
            "name": "挂牌督办",
            "name_en": "Listed supervision",
            "order": 30,
            "is_active": "on",
            "limit": 5,
            "unit": "working_days",
        },
    )
    assert response.status_code == 302
    policy = TimeLimitPolicy.objects.get(kind=clocks.SUPERVISION_ANSWER, category="listed")
    assert policy.limit == 5
    policy_audit = AuditEvent.objects.get(
        verb="timelimits.policy.update", subject_id=str(policy.pk)
    )
    assert policy_audit.data["changes"]["limit"] == [3, 5]
    level_audit = AuditEvent.objects.get(
        verb="complaints.supervision_level.update", subject_id=str(listed.pk)
    )
    assert level_audit.data["changes"]["answer_limit"] == [3, 5]
    # The running 挂牌 clock is recomputed from its start: two more working days.
    before = running.due_at
    running.refresh_from_db()
    assert calendar.working_days_between(before, running.due_at) == 2


def test_a_new_level_gets_its_own_limit_with_the_default_ladder(office_user):
    new = services.supervision_level_save(
        actor=office_user, level=None, code="interview", name="约谈督办", order=40, limit=2
    )
    policy = TimeLimitPolicy.objects.get(kind=clocks.SUPERVISION_ANSWER, category="interview")
    default = TimeLimitPolicy.objects.get(kind=clocks.SUPERVISION_ANSWER, category="")
    assert policy.limit == 2
    assert list(policy.steps.values_list("level", "proposal")) == list(
        default.steps.values_list("level", "proposal")
    )
    assert AuditEvent.objects.filter(
        verb="complaints.supervision_level.create", subject_id=str(new.pk)
    ).exists()
    with pytest.raises(ApplicationError, match="督办级别代码创建后不能修改"):
        services.supervision_level_save(actor=office_user, level=new, code="other")


def test_a_switched_off_level_cannot_be_issued(handling, office_user):
    key = level("key")
    services.supervision_level_save(actor=office_user, level=key, is_active=False)
    with pytest.raises(ApplicationError, match="该督办级别已停用。"):
        supervise(handling, office_user, "key")
