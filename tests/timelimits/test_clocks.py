"""Clocks: start, pause, resume, extend, stop — the interface other apps call."""

from __future__ import annotations

import pytest

from efficiency_portal.errors import ApplicationError
from tests.timelimits.conftest import at
from timelimits.models import Deadline, DeadlineEvent
from timelimits.services import (
    deadline_current,
    deadline_extend,
    deadline_pause,
    deadline_reassign,
    deadline_resume,
    deadline_start,
    deadline_stop,
)

pytestmark = pytest.mark.django_db


def start(subject, agency, kind="complaint.handle", **kw):
    kw.setdefault("started_at", at(2026, 3, 2))
    return deadline_start(subject=subject, kind=kind, agency=agency, **kw)


def test_handle_clock_ends_at_closing_time_of_the_fifteenth_working_day(subject, agency_a):
    deadline = start(subject, agency_a)
    assert deadline.due_at == at(2026, 3, 23, 17, 30)
    assert deadline.warn_at == at(2026, 3, 20, 17, 30)  # yellow 1 working day before
    assert deadline.state == "running" and deadline.light == "green"
    assert deadline.next_action_at == deadline.warn_at
    assert [e.type for e in deadline.events.all()] == ["start"]


def test_urgent_category_selects_the_more_specific_policy(subject, agency_a):
    deadline = start(subject, agency_a, category="urgent")
    assert deadline.limit == 2
    assert deadline.due_at == at(2026, 3, 4, 17, 30)


def test_unknown_category_falls_back_to_the_kind_default(subject, agency_a):
    assert start(subject, agency_a, category="no-such").limit == 15


def test_unknown_kind_is_refused_and_nothing_written(subject, agency_a):
    with pytest.raises(ApplicationError, match=r"未知的时限类型：complaint\.nope。"):
        start(subject, agency_a, kind="complaint.nope")
    assert not Deadline.objects.exists()


def test_a_subject_holds_several_clocks_but_one_open_per_kind(subject, agency_a):
    start(subject, agency_a, kind="complaint.sign_for")
    start(subject, agency_a)
    with pytest.raises(ApplicationError, match="该事项已有计时中的同类时限"):
        start(subject, agency_a)
    assert deadline_current(subject=subject, kind="complaint.sign_for").kind == "complaint.sign_for"
    assert Deadline.objects.count() == 2


def test_paused_working_days_move_the_due_date(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a)
    deadline_pause(deadline=deadline, reason="专家评审", actor=clerk_a, at=at(2026, 3, 4))
    deadline_resume(deadline=deadline, actor=clerk_a, at=at(2026, 3, 6, 10))
    # Two working days (3/5 and 3/6) were not counted.
    assert deadline.due_at == at(2026, 3, 25, 17, 30)
    assert deadline.state == "running"


def test_moving_between_two_paused_states_neither_resets_nor_double_counts(
    subject, agency_a, clerk_a
):
    deadline = start(subject, agency_a)
    deadline_pause(deadline=deadline, reason="补正", actor=clerk_a, at=at(2026, 3, 4))
    deadline_pause(deadline=deadline, reason="鉴定", actor=clerk_a, at=at(2026, 3, 5))
    deadline_resume(deadline=deadline, actor=clerk_a, at=at(2026, 3, 6, 10))
    assert deadline.due_at == at(2026, 3, 25, 17, 30)
    assert [p["reason"] for p in deadline.pauses] == ["补正", "鉴定"]


def test_resuming_a_clock_that_is_not_paused_is_refused(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a)
    with pytest.raises(ApplicationError, match="时限未暂停，不能恢复计时。"):
        deadline_resume(deadline=deadline, actor=clerk_a)
    assert deadline.events.count() == 1


def test_extension_within_allowance_moves_due_and_is_recorded(subject, agency_a, office_user):
    deadline = start(subject, agency_a)
    deadline_extend(deadline=deadline, amount=15, approver=office_user, reason="案情复杂")
    assert deadline.due_at == at(2026, 4, 14, 17, 30)
    event = deadline.events.get(type="extend")
    assert event.actor == office_user and event.data["reason"] == "案情复杂"


def test_second_extension_is_refused(subject, agency_a, office_user):
    deadline = start(subject, agency_a)
    deadline_extend(deadline=deadline, amount=5, approver=office_user, reason="案情复杂")
    with pytest.raises(ApplicationError, match="该时限最多可延期 1 次，已用完。"):
        deadline_extend(deadline=deadline, amount=5, approver=office_user, reason="再延")
    assert deadline.events.filter(type="extend").count() == 1


def test_extension_beyond_allowance_is_refused(subject, agency_a, office_user):
    deadline = start(subject, agency_a)
    with pytest.raises(ApplicationError, match="延期超过允许的 15 工作日。"):
        deadline_extend(deadline=deadline, amount=16, approver=office_user, reason="x")
    assert Deadline.objects.get(pk=deadline.pk).extended_by == 0


def test_extension_beyond_legal_ceiling_is_refused(subject, agency_a, office_user):
    # Even if an administrator raised the local allowance, 第42条 caps it at 10.
    deadline = start(subject, agency_a, kind="approval.decide")
    deadline.policy.extension_limit = 30
    deadline.policy.save()
    with pytest.raises(ApplicationError, match="延期超过法定上限（10 个工作日）。"):
        deadline_extend(deadline=deadline, amount=11, approver=office_user, reason="x")
    assert not DeadlineEvent.objects.filter(type="extend").exists()


def test_negative_extension_is_refused(subject, agency_a, office_user):
    deadline = start(subject, agency_a)
    with pytest.raises(ApplicationError, match="延期时限必须是正整数。"):
        deadline_extend(deadline=deadline, amount=-3, approver=office_user, reason="x")


def test_stop_on_time_is_met_with_used_and_remaining(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a)
    deadline_stop(deadline=deadline, outcome="done", actor=clerk_a, at=at(2026, 3, 9, 11))
    assert deadline.state == "met"
    assert (deadline.used, deadline.remaining) == (5, 10)
    assert deadline.next_action_at is None


def test_stop_after_due_is_missed(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a, kind="complaint.sign_for")
    deadline_stop(deadline=deadline, outcome="done", actor=clerk_a, at=at(2026, 3, 4, 9))
    assert deadline.state == "missed"
    assert deadline.remaining == -1


def test_stop_while_paused_excludes_the_open_pause(subject, agency_a, clerk_a):
    deadline = start(subject, agency_a)
    deadline_pause(deadline=deadline, reason="补正", actor=clerk_a, at=at(2026, 3, 4))
    deadline_stop(deadline=deadline, outcome="cancelled", actor=clerk_a, at=at(2026, 3, 10))
    assert deadline.state == "cancelled"
    assert deadline.used == 2


def test_event_rows_cannot_be_rewritten(subject, agency_a):
    from django.db import IntegrityError, transaction

    deadline = start(subject, agency_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeadlineEvent.objects.filter(deadline=deadline).update(type="stop")


def test_on_time_rate_is_recomputed_from_stop_events_alone(agency_a, agency_b, clerk_a):
    from timelimits.selectors import on_time_rate

    on_time = start(agency_a, agency_a, kind="complaint.sign_for")
    late = start(agency_b, agency_a, kind="complaint.sign_for")
    deadline_stop(deadline=on_time, outcome="done", actor=clerk_a, at=at(2026, 3, 3, 9))
    deadline_stop(deadline=late, outcome="done", actor=clerk_a, at=at(2026, 3, 5, 9))
    # Even if the clock rows were archived, the events carry the answer.
    assert on_time_rate(kind="complaint.sign_for") == 0.5
    assert on_time_rate(kind="complaint.sign_for", agency_id=agency_a.pk) == 0.5
    assert on_time_rate(kind="complaint.handle") is None


def test_natural_day_clock_moves_off_a_holiday(subject, agency_a):
    deadline = start(subject, agency_a, kind="rating.default", started_at=at(2026, 9, 24))
    # 9/24 + 7 natural days = 10/1 (National Day) → the next working day, 10/8.
    assert deadline.due_at == at(2026, 10, 8, 17, 30)


def test_hour_clock_excludes_paused_hours(subject, agency_a, clerk_a):
    from timelimits.models import TimeLimitPolicy

    TimeLimitPolicy.objects.create(kind="test.hours", name="四小时", limit=4, unit="hours")
    deadline = start(subject, agency_a, kind="test.hours", started_at=at(2026, 3, 2, 9))
    assert deadline.due_at == at(2026, 3, 2, 13)
    deadline_pause(deadline=deadline, reason="补正", actor=clerk_a, at=at(2026, 3, 2, 10))
    deadline_resume(deadline=deadline, actor=clerk_a, at=at(2026, 3, 2, 11, 30))
    assert deadline.due_at == at(2026, 3, 2, 14, 30)


def test_immediate_clock_ends_at_closing_time_or_next_working_day(subject, agency_a, agency_b):
    from timelimits.models import TimeLimitPolicy

    TimeLimitPolicy.objects.create(kind="test.now", name="即办", limit=0, unit="immediate")
    assert start(subject, agency_a, kind="test.now").due_at == at(2026, 3, 2, 17, 30)
    # Started after hours on Friday 2026-02-13: the next working day is Saturday 2/14 (调休).
    late = start(agency_b, agency_a, kind="test.now", started_at=at(2026, 2, 13, 18))
    assert late.due_at == at(2026, 2, 14, 17, 30)


def test_a_preview_gives_the_due_time_of_a_clock_without_starting_one(subject):
    from timelimits import calendar
    from timelimits.models import Deadline
    from timelimits.services import deadline_preview

    start = at(2026, 11, 23, 10)  # a Monday
    due = deadline_preview(kind="complaint.return_window", start=start)
    assert due == calendar.closes_at(calendar.add_working_days(start, 2))
    assert not Deadline.objects.exists()


def test_a_policy_edit_is_seen_by_the_next_clock_without_a_restart(subject):
    from timelimits import calendar
    from timelimits.models import TimeLimitPolicy
    from timelimits.services import deadline_preview

    start = at(2026, 11, 23, 10)
    deadline_preview(kind="complaint.return_window", start=start)  # warm the process cache
    TimeLimitPolicy.objects.filter(kind="complaint.return_window").update(limit=4)
    due = deadline_preview(kind="complaint.return_window", start=start)
    assert due == calendar.closes_at(calendar.add_working_days(start, 4))


def test_cached_policies_and_calendar_cost_one_version_read(subject, django_assert_num_queries):
    from timelimits.services import deadline_preview

    deadline_preview(kind="complaint.handle", start=at(2026, 11, 23, 10))
    with django_assert_num_queries(1):
        deadline_preview(kind="complaint.handle", start=at(2026, 11, 24, 10))


def test_a_pinned_block_reads_the_configuration_once(subject, django_assert_num_queries):
    from timelimits import versions
    from timelimits.services import deadline_preview

    deadline_preview(kind="complaint.handle", start=at(2026, 11, 23, 10))
    with django_assert_num_queries(1), versions.pinned():
        deadline_preview(kind="complaint.accept", start=at(2026, 11, 24, 10))
        deadline_preview(kind="complaint.handle", start=at(2026, 11, 25, 10))


def test_reassigning_a_clock_hands_it_over_as_an_event_and_keeps_the_due_time(
    subject, agency_a, clerk_a, unit_admin_a
):
    deadline = start(subject, agency_a, responsible=clerk_a)
    due = deadline.due_at
    deadline_reassign(deadline=deadline, responsible=unit_admin_a, actor=unit_admin_a)
    deadline.refresh_from_db()
    assert deadline.responsible == unit_admin_a and deadline.due_at == due
    event = deadline.events.get(type=DeadlineEvent.Type.REASSIGN)
    assert event.actor == unit_admin_a
    assert event.data["responsible_from"] == clerk_a.pk
    assert event.data["responsible_to"] == unit_admin_a.pk
    # To the one who already holds it: nothing written.
    deadline_reassign(deadline=deadline, responsible=unit_admin_a, actor=unit_admin_a)
    assert deadline.events.filter(type=DeadlineEvent.Type.REASSIGN).count() == 1


def test_a_stopped_clock_cannot_be_reassigned(subject, agency_a, clerk_a, unit_admin_a):
    deadline = start(subject, agency_a, responsible=clerk_a)
    deadline_stop(deadline=deadline, outcome="done", actor=clerk_a, at=at(2026, 3, 3))
    with pytest.raises(ApplicationError, match="时限已结束，不能转交责任人。"):
        deadline_reassign(deadline=deadline, responsible=unit_admin_a, actor=unit_admin_a)
    deadline.refresh_from_db()
    assert deadline.responsible == clerk_a
