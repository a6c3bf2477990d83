"""Policies and the calendar: validated, audited edits that recompute running clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from tests.timelimits.conftest import at
from timelimits import calendar, checks, config
from timelimits.calendar_source import package_rows
from timelimits.models import Deadline, Notification, TimeLimitPolicy, WorkCalendarDay
from timelimits.services import deadline_pause, deadline_resume, deadline_start

pytestmark = pytest.mark.django_db

NOTICE_2027 = """date,type,name
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,workday,春节调休
"""


def policy(kind="complaint.handle", category=""):
    return TimeLimitPolicy.objects.get(kind=kind, category=category)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("limit", 400, "时限 400 工作日 不合理（最多 250）。"),
        ("limit", -1, "时限不能为负数。"),
        ("limit", 0, "时限为 0 时请选择“即办”。"),
        ("warn_before", 15, "提前预警必须小于时限。"),
    ],
)
def test_absurd_or_negative_policy_is_refused_and_nothing_written(field, value, message):
    p = policy()
    setattr(p, field, value)
    with pytest.raises(ApplicationError) as exc:
        config.policy_save(policy=p, actor=None)
    assert exc.value.message == message
    assert exc.value.field == field
    assert policy().limit == 15 and policy().warn_before == 1


def test_policy_cannot_exceed_the_article_42_ceiling():
    p = policy("approval.decide")
    p.limit = 25
    with pytest.raises(ApplicationError, match="时限超过法定上限（20 个工作日）。"):
        config.policy_save(policy=p, actor=None)
    p = policy("approval.decide", "joint")
    p.extension_limit = 20
    with pytest.raises(ApplicationError, match="延期超过法定上限（15 个工作日）。"):
        config.policy_save(policy=p, actor=None)


def test_policy_change_recomputes_running_clocks_keeping_their_paused_time(
    subject, agency_a, clerk_a
):
    deadline = deadline_start(
        subject=subject, kind="complaint.handle", agency=agency_a, started_at=at(2026, 3, 2)
    )
    deadline_pause(deadline=deadline, reason="专家评审", actor=clerk_a, at=at(2026, 3, 4))
    deadline_resume(deadline=deadline, actor=clerk_a, at=at(2026, 3, 6, 10))
    p = policy()
    p.limit = 10
    assert config.policy_save(policy=p, actor=clerk_a) == 1
    deadline.refresh_from_db()
    # 10 working days + the 2 paused ones (GLPI #15605 would lose these two).
    assert deadline.due_at == at(2026, 3, 18, 17, 30)
    assert deadline.limit == 10
    assert deadline.events.filter(type="recompute").count() == 1
    assert AuditEvent.objects.filter(verb="timelimits.policy.update").count() == 1


def test_calendar_day_edit_is_audited_and_moves_clocks(subject, agency_a, clerk_a):
    deadline = deadline_start(
        subject=subject, kind="complaint.handle", agency=agency_a, started_at=at(2026, 3, 2)
    )
    day = WorkCalendarDay.objects.get(date=dt.date(2026, 3, 10))
    day.is_workday, day.kind, day.name = False, "holiday", "地方节日"
    assert config.calendar_day_save(day=day, actor=clerk_a) == 1
    deadline.refresh_from_db()
    assert deadline.due_at == at(2026, 3, 24, 17, 30)
    assert AuditEvent.objects.get(verb="timelimits.calendar.update").data["date"] == "2026-03-10"


def test_calendar_day_kind_must_match_workday():
    day = WorkCalendarDay.objects.get(date=dt.date(2026, 3, 10))
    day.is_workday, day.kind = False, "workday"
    with pytest.raises(ApplicationError, match="与是否工作日不一致"):
        config.calendar_day_save(day=day, actor=None)


def test_loading_2027_recomputes_provisional_clocks_and_alerts_admins_once(
    subject, agency_a, agency_b, django_user_model, tmp_path
):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    deadline = deadline_start(
        subject=subject, kind="approval.decide", agency=agency_a, started_at=at(2027, 1, 25)
    )
    other = deadline_start(
        subject=agency_b, kind="approval.decide", agency=agency_a, started_at=at(2027, 1, 26)
    )
    assert deadline.provisional and other.provisional
    # Provisional: 20 working days Mon–Fri from 1/25 → 2/22.
    assert deadline.due_at == at(2027, 2, 22, 17, 30)
    alerts = Notification.objects.filter(recipient=admin, dedupe_key="calendar:unpublished:2027")
    assert alerts.count() == 2  # in-app + e-mail, once for the year
    notice = tmp_path / "2027.csv"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    call_command("load_calendar", str(notice), year=2027)
    deadline.refresh_from_db()
    # Spring Festival 2/8–2/12 skipped, Saturday 2/20 counted.
    assert deadline.due_at == at(2027, 2, 26, 17, 30)
    assert deadline.provisional is False
    assert calendar.is_published_year(2027)
    assert deadline.events.filter(type="recompute").count() == 1


def test_notice_csv_with_a_bad_line_is_refused_and_nothing_loaded(tmp_path):
    notice = tmp_path / "bad.csv"
    notice.write_text("2027-01-01,holiday\n2027-13-01,holiday\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line 2: '2027-13-01' is not a date"):
        call_command("load_calendar", str(notice), year=2027)
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()


def test_package_rows_reproduce_the_seeded_calendar():
    seeded = dict(WorkCalendarDay.objects.filter(date__year=2026).values_list("date", "is_workday"))
    assert seeded == {r.date: r.is_workday for r in package_rows(2026)}


def test_w001_warns_after_1_november_when_next_year_is_missing():
    assert checks.calendar_warnings(dt.date(2026, 10, 31)) == []
    (warning,) = checks.calendar_warnings(dt.date(2026, 11, 1))
    assert warning.id == "timelimits.W001"
    assert "2027" in warning.msg


def test_w002_warns_about_a_kind_without_policy(monkeypatch):
    monkeypatch.setattr(checks, "KNOWN_KINDS", {"complaint.handle", "commitment.item"})
    ids = [(w.id, w.msg) for w in checks.policy_warnings()]
    assert ids == [
        (
            "timelimits.W002",
            "No active default time-limit policy for kind 'commitment.item' (时限类型缺少规则).",
        )
    ]


def test_deactivated_policy_of_a_running_kind_is_reported(subject, agency_a):
    deadline_start(subject=subject, kind="complaint.reply", agency=agency_a)
    TimeLimitPolicy.objects.filter(kind="complaint.reply").update(is_active=False)
    assert [w.id for w in checks.policy_warnings()] == ["timelimits.W002"]
    assert Deadline.objects.count() == 1
