"""A subject's clocks and their events in plain words, for the subject's page.

    11月3日 09:12 开始计时：办理时限 15 个工作日，截止 11月24日 17:30
    11月20日 09:00 延期：办理时限延长 15 个工作日（赵效能批准：案情复杂），截止 12月15日 17:30
    11月24日 17:30 亮红灯：答复时限已超期

Reads only (a fixed number of queries however many clocks and events the subject has).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from timelimits.countdown import countdown
from timelimits.labels import amount, kind_label, level_label, moment, person
from timelimits.models import Deadline, DeadlineEvent

OPEN = (Deadline.State.RUNNING, Deadline.State.PAUSED)


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    type: str
    light: str
    text: str


@dataclass(frozen=True)
class Clock:
    """One clock as a page shows it."""

    deadline: Deadline
    label: str
    light: str
    light_label: str
    state_label: str
    due_at: dt.datetime
    countdown: str
    level: str
    is_open: bool


def deadlines_of(*, subject, exclude_kinds: tuple[str, ...] = ()) -> list[Deadline]:
    """Every clock of ``subject`` with its policy, ladder and events, first started first."""
    events = DeadlineEvent.objects.select_related("actor__staff_profile").order_by("at", "id")
    return list(
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .exclude(kind__in=exclude_kinds)
        .select_related("policy", "responsible__staff_profile")
        .prefetch_related("policy__steps", Prefetch("events", queryset=events))
        .order_by("started_at", "id")
    )


def clock_of(deadline: Deadline, *, now=None) -> Clock:
    is_open = deadline.state in OPEN
    return Clock(
        deadline=deadline,
        label=kind_label(deadline.kind, policy=deadline.policy),
        light=deadline.light,
        light_label=deadline.get_light_display(),
        state_label=deadline.get_state_display(),
        due_at=deadline.due_at,
        countdown=countdown(due_at=deadline.due_at, unit=deadline.unit, now=now)
        if deadline.state == Deadline.State.RUNNING
        else "",
        level=level_label(deadline.escalation_level, policy=deadline.policy),
        is_open=is_open,
    )


def history(deadlines: list[Deadline]) -> list[Line]:
    """Every event of ``deadlines`` (from ``deadlines_of``), in the order they took effect."""
    user_ids = {
        pk
        for d in deadlines
        for e in d.events.all()
        if e.type == DeadlineEvent.Type.REASSIGN
        for pk in (e.data.get("responsible_from"), e.data.get("responsible_to"))
        if pk
    }
    users = (
        {
            u.pk: u
            for u in get_user_model()
            .objects.filter(pk__in=user_ids)
            .select_related("staff_profile")
        }
        if user_ids
        else {}
    )
    lines = [
        Line(at=e.at, type=e.type, light=e.light, text=describe(e, d, users))
        for d in deadlines
        for e in d.events.all()
    ]
    return sorted(lines, key=lambda line: line.at)


def _due(event: DeadlineEvent, deadline: Deadline) -> str:
    raw = event.data.get("due_at")
    return moment(parse_datetime(raw) if raw else deadline.due_at)


def describe(event: DeadlineEvent, deadline: Deadline, users: dict | None = None) -> str:
    """One event as a sentence, its moment first."""
    users = users or {}
    T = DeadlineEvent.Type
    data = event.data or {}
    kind = kind_label(deadline.kind, policy=deadline.policy)
    words = {"kind": kind, "due": _due(event, deadline), "who": person(event.actor)}
    if event.type == T.START:
        words["amount"] = amount(data.get("limit", deadline.limit), data.get("unit", deadline.unit))
        text = _("开始计时：%(kind)s %(amount)s，截止 %(due)s") % words
    elif event.type == T.PAUSE:
        words["reason"] = data.get("reason", "")
        text = _("暂停计时：%(kind)s（%(reason)s）") % words
    elif event.type == T.RESUME:
        text = _("恢复计时：%(kind)s，截止 %(due)s") % words
    elif event.type == T.EXTEND:
        words["amount"] = amount(data.get("amount", 0), deadline.unit)
        words["reason"] = data.get("reason", "")
        text = _("延期：%(kind)s延长 %(amount)s（%(who)s批准：%(reason)s），截止 %(due)s") % words
    elif event.type == T.WARN:
        text = _("亮黄灯：%(kind)s即将到期，截止 %(due)s") % words
    elif event.type == T.OVERDUE:
        text = _("亮红灯：%(kind)s已超期") % words
    elif event.type == T.ESCALATE:
        words["level"] = level_label(event.level, policy=deadline.policy)
        text = _("督办升级：%(kind)s %(level)s") % words
    elif event.type == T.RECOMPUTE:
        text = _("重新计算：%(kind)s，截止 %(due)s") % words
    elif event.type == T.REASSIGN:
        before, after = (users.get(data.get(k)) for k in ("responsible_from", "responsible_to"))
        words["from"] = person(before) if before else _("（无）")
        words["to"] = person(after) if after else _("（无）")
        text = _("转交责任人：%(kind)s由 %(from)s 转交 %(to)s") % words
    elif event.type == T.STOP:
        outcome = data.get("outcome", deadline.state)
        if outcome == Deadline.State.CANCELLED:
            text = _("撤销计时：%(kind)s") % words
        else:
            words["outcome"] = Deadline.State(outcome).label if outcome in OUTCOME_WORDS else ""
            words["used"] = amount(data.get("used") or 0, deadline.unit)
            text = _("结束计时：%(kind)s%(outcome)s（用时 %(used)s）") % words
    else:
        text = event.get_type_display()
    return f"{moment(event.at)} {text}"


OUTCOME_WORDS = (Deadline.State.MET, Deadline.State.MISSED)
