"""Pure clock arithmetic: from a deadline's start, limit, pauses and extensions to its moments.

Nothing here writes. ``schedule`` derives ``warn_at``, ``due_at`` and
``escalate_at`` from stored facts only, so a running clock can be recomputed at
any time (policy or calendar change) without losing its paused time — the
facts (started_at, pauses, extensions) are never overwritten by a recompute.

Paused time rules (行政许可法 第45条: 听证、鉴定、专家评审… time is not counted):
- working days: the working days in (paused day, resumed day] are added back;
  a pause that starts and ends on the same day costs nothing;
- natural days: the calendar days between the two dates are added back;
- hours: the paused seconds are added back.
Moving from one paused state to another closes one interval and opens the next
at the same instant, so the time is neither reset nor counted twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from timelimits.calendar import Calendar
from timelimits.models import Deadline, EscalationStep, TimeLimitPolicy, Unit

LIGHT_RANK = {"green": 0, "yellow": 1, "red": 2}


@dataclass(frozen=True)
class Schedule:
    warn_at: dt.datetime | None
    due_at: dt.datetime
    escalate_at: list[dt.datetime]
    provisional: bool


def parse_moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def paused_amount(deadline: Deadline, cal: Calendar, *, until: dt.datetime | None = None) -> float:
    """Paused time in the clock's unit (hours as seconds); an open pause counts up to ``until``."""
    total = 0.0
    for pause in deadline.pauses:
        start = parse_moment(pause["from"])
        end = parse_moment(pause["to"]) if pause.get("to") else until
        if end is None or end <= start:
            continue
        if deadline.unit == Unit.WORKING_DAYS:
            total += cal.working_days_between(_local_date(start), _local_date(end))
        elif deadline.unit == Unit.NATURAL_DAYS:
            total += (_local_date(end) - _local_date(start)).days
        else:
            total += (end - start).total_seconds()
    return total


def _closes_at(day: dt.date) -> dt.datetime:
    from timelimits.calendar import closes_at

    return closes_at(day)


def schedule(
    deadline: Deadline,
    policy: TimeLimitPolicy,
    steps: list[EscalationStep],
    cal: Calendar,
) -> Schedule:
    """The moments of ``deadline`` under ``policy`` on calendar ``cal``."""
    start = deadline.started_at
    start_day = _local_date(start)
    total = deadline.limit + deadline.extended_by
    paused = paused_amount(deadline, cal)
    provisional = False

    def working_day(offset: int):
        nonlocal provisional
        day = cal.add_working_days(start_day, offset)
        provisional |= day.provisional
        return day

    if deadline.unit == Unit.WORKING_DAYS:
        due_day = working_day(total + int(paused))
        due_at = _closes_at(due_day)
    elif deadline.unit == Unit.NATURAL_DAYS:
        due_day = cal.add_natural_days(start_day, total + int(paused))
        provisional |= due_day.provisional
        due_at = _closes_at(due_day)
    elif deadline.unit == Unit.HOURS:
        due_at = start + dt.timedelta(hours=total, seconds=paused)
    else:  # 即办: by closing time today, or the next working day if started after hours
        day = working_day(0)
        due_at = _closes_at(day)
        if due_at <= start:
            due_at = _closes_at(working_day(1))

    warn_at = None
    if policy.warn_before:
        n = policy.warn_before
        if deadline.unit == Unit.WORKING_DAYS:
            offset = total + int(paused) - n
            warn_at = _closes_at(working_day(offset)) if offset > 0 else start
        elif deadline.unit == Unit.NATURAL_DAYS:
            warn_at = due_at - dt.timedelta(days=n)
        elif deadline.unit == Unit.HOURS:
            warn_at = due_at - dt.timedelta(hours=n)
    elif policy.warn_fraction:
        warn_at = start + (due_at - start) * float(policy.warn_fraction)
    if warn_at is not None:
        warn_at = min(max(warn_at, start), due_at)

    escalate_at = []
    due_day = _local_date(due_at)
    for step in steps:
        if step.delay_unit == Unit.HOURS or not step.delay:
            moment = due_at + dt.timedelta(hours=step.delay)
        else:
            day = cal.add_working_days(due_day, step.delay)
            provisional |= day.provisional
            moment = _closes_at(day)
        escalate_at.append(max(moment, escalate_at[-1] if escalate_at else moment))
    return Schedule(warn_at, due_at, escalate_at, provisional)


def next_action(
    *, light: str, level: int, warn_at, due_at, escalate_at: list[dt.datetime]
) -> dt.datetime | None:
    """The next moment the sweep must act on a running clock in this state (past or future)."""
    moments = []
    if light == "green" and warn_at is not None:
        moments.append(warn_at)
    if light != "red":
        moments.append(due_at)
    moments.extend(escalate_at[level:])
    return min(moments) if moments else None


def derive(*, now: dt.datetime, warn_at, due_at, escalate_at) -> tuple[str, int]:
    """The light and escalation level a clock should show at ``now``."""
    if due_at <= now:
        light = "red"
    elif warn_at is not None and warn_at <= now:
        light = "yellow"
    else:
        light = "green"
    level = sum(1 for moment in escalate_at if moment <= now)
    return light, level


def usage(deadline: Deadline, cal: Calendar, *, at: dt.datetime) -> tuple[int, int]:
    """(used, remaining) in the clock's unit at ``at``, paused time excluded."""
    total = deadline.limit + deadline.extended_by
    paused = paused_amount(deadline, cal, until=at)
    if deadline.unit == Unit.WORKING_DAYS:
        elapsed = cal.working_days_between(_local_date(deadline.started_at), _local_date(at))
        used = int(elapsed - paused)
    elif deadline.unit == Unit.NATURAL_DAYS:
        used = int((_local_date(at) - _local_date(deadline.started_at)).days - paused)
    elif deadline.unit == Unit.HOURS:
        used = int(((at - deadline.started_at).total_seconds() - paused) // 3600)
    else:
        return 0, 0 if at <= deadline.due_at else -1
    return used, total - used
