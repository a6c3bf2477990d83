"""Writes to the engine's configuration: policies, the calendar, and recomputing running clocks.

Every change is audited (``organizations.audit``) and recomputes the open clocks it
affects in the same transaction. A recompute re-derives the moments from the stored
facts — start, pauses, extensions — so paused time is kept (GLPI #15605 lost it by
recomputing from "now" and the original limit); a light may fall (an earlier red
after a longer limit) at once, and any light that must rise is left to the sweep,
which records the event and the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import as_json, audit, changes, snapshot
from timelimits import calendar
from timelimits.calendar_source import DayRow
from timelimits.law import CEILINGS
from timelimits.models import (
    Deadline,
    DeadlineEvent,
    EscalationStep,
    TimeLimitPolicy,
    Unit,
    WorkCalendarDay,
)
from timelimits.services import OPEN_STATES, apply_schedule

# Sanity bounds against typing errors (a limit of 1500 working days is a slip of the
# keyboard, not a policy). Not business numbers: no local rule comes near them.
ABSURD_LIMITS = {
    Unit.WORKING_DAYS: 250,
    Unit.NATURAL_DAYS: 366,
    Unit.HOURS: 24 * 60,
    Unit.IMMEDIATE: 0,
}
RECOMPUTE_CHUNK = 2000


def policy_validate(policy: TimeLimitPolicy) -> None:
    """Refuse a negative, absurd or unlawful policy; the message names the field."""
    if policy.limit is None or policy.limit < 0:
        raise ApplicationError(_("时限不能为负数。"), code="negative_limit", field="limit")
    ceiling = ABSURD_LIMITS[policy.unit]
    if policy.limit > ceiling:
        raise ApplicationError(
            _("时限 %(limit)s %(unit)s 不合理（最多 %(max)s）。")
            % {"limit": policy.limit, "unit": policy.get_unit_display(), "max": ceiling},
            code="absurd_limit",
            field="limit",
        )
    if policy.unit != Unit.IMMEDIATE and policy.limit == 0:
        raise ApplicationError(_("时限为 0 时请选择“即办”。"), code="zero_limit", field="limit")
    if policy.warn_before is not None and policy.warn_before >= max(policy.limit, 1):
        raise ApplicationError(
            _("提前预警必须小于时限。"), code="warn_too_early", field="warn_before"
        )
    if policy.extension_limit and not policy.extension_times:
        raise ApplicationError(
            _("设置了可延期时限，请同时设置可延期次数。"),
            code="extension_times",
            field="extension_times",
        )
    if policy.extension_limit > ceiling:
        raise ApplicationError(
            _("可延期时限 %(n)s 不合理（最多 %(max)s）。")
            % {"n": policy.extension_limit, "max": ceiling},
            code="absurd_limit",
            field="extension_limit",
        )
    if policy.statutory_basis:
        limit_ceiling, extension_ceiling = CEILINGS[policy.statutory_basis]
        if policy.unit != Unit.WORKING_DAYS:
            raise ApplicationError(
                _("行政许可法第82条：法定期限按工作日计算。"), code="legal_unit", field="unit"
            )
        if policy.limit > limit_ceiling:
            raise ApplicationError(
                _("时限超过法定上限（%(n)s 个工作日）。") % {"n": limit_ceiling},
                code="legal_ceiling",
                field="limit",
            )
        if policy.extension_limit > extension_ceiling:
            raise ApplicationError(
                _("延期超过法定上限（%(n)s 个工作日）。") % {"n": extension_ceiling},
                code="legal_ceiling",
                field="extension_limit",
            )


@dataclass(frozen=True)
class StepSpec:
    """One rung of a policy's 督办 ladder as an administrator enters it."""

    level: int
    delay: int
    delay_unit: str
    notify: list[str]
    channels: list[str]
    proposal: str


STEP_FIELDS = ("level", "delay", "delay_unit", "notify", "channels", "proposal")
POLICY_FIELDS = (
    "kind",
    "category",
    "name",
    "limit",
    "unit",
    "warn_before",
    "warn_fraction",
    "extension_limit",
    "extension_times",
    "statutory_basis",
    "is_active",
)


def _policy_state(policy: TimeLimitPolicy | None) -> dict:
    """The policy's fields and its ladder, as the audit row records them."""
    if policy is None:
        return {}
    steps = [
        {name: getattr(step, name) for name in STEP_FIELDS}
        for step in EscalationStep.objects.filter(policy=policy).order_by("level")
    ]
    return snapshot(policy, POLICY_FIELDS) | {"steps": as_json(steps)}


def _steps_validate(steps: list[StepSpec]) -> None:
    levels = [step.level for step in steps]
    if any(level is None or level < 1 for level in levels):
        raise ApplicationError(_("督办级别从 1 开始。"), code="step_level", field="steps")
    if len(set(levels)) != len(levels):
        raise ApplicationError(_("督办阶梯的级别不能重复。"), code="step_level", field="steps")
    if any(not (step.proposal or "").strip() for step in steps):
        raise ApplicationError(_("请填写每一级的建议措施。"), code="step_proposal", field="steps")


@transaction.atomic
def policy_save(*, policy: TimeLimitPolicy, actor, steps: list[StepSpec] | None = None) -> int:
    """Create or change a policy and (when ``steps`` is given) replace its 督办 ladder.

    One audit row with every change (before → after, the ladder included); the
    running clocks of a changed policy are recomputed. Returns how many changed.
    """
    policy_validate(policy)
    if steps is not None:
        _steps_validate(steps)
    duplicate = TimeLimitPolicy.objects.filter(kind=policy.kind, category=policy.category)
    if policy.pk:
        duplicate = duplicate.exclude(pk=policy.pk)
    if duplicate.exists():
        raise ApplicationError(
            _("该时限类型和类别已有规则。"), code="duplicate_policy", field="category"
        )
    created = policy.pk is None
    stored = None if created else TimeLimitPolicy.objects.select_for_update().get(pk=policy.pk)
    before = _policy_state(stored)
    after = as_json({name: getattr(policy, name) for name in POLICY_FIELDS}) | {
        "steps": as_json(
            [
                {name: getattr(step, name) for name in STEP_FIELDS}
                for step in sorted(steps, key=lambda step: step.level)
            ]
        )
        if steps is not None
        else before.get("steps", [])
    }
    diff = changes(before, after)
    if not diff:
        return 0  # nothing changed: nothing written
    policy.save()
    if steps is not None:
        EscalationStep.objects.filter(policy=policy).delete()
        EscalationStep.objects.bulk_create(
            EscalationStep(policy=policy, **{name: getattr(step, name) for name in STEP_FIELDS})
            for step in steps
        )
    audit(
        actor=actor,
        verb="timelimits.policy.create" if created else "timelimits.policy.update",
        subject=policy,
        data={
            "kind": policy.kind,
            "category": policy.category,
            "limit": policy.limit,
            "unit": policy.unit,
            "extension_limit": policy.extension_limit,
            "steps": after["steps"],
            "changes": diff,
        },
    )
    if created:
        return 0
    return deadlines_recompute(
        deadlines=Deadline.objects.filter(policy=policy), actor=actor, reason="policy"
    )


@transaction.atomic
def calendar_day_save(*, day: WorkCalendarDay, actor) -> int:
    """An administrator's correction of one day; recompute the open clocks around it."""
    kinds = {True: ("workday", "makeup"), False: ("weekend", "holiday")}
    if day.kind not in kinds[bool(day.is_workday)]:
        raise ApplicationError(
            _("“%(kind)s”与是否工作日不一致。") % {"kind": day.get_kind_display()},
            code="kind_mismatch",
            field="kind",
        )
    before = snapshot(WorkCalendarDay.objects.select_for_update().filter(pk=day.pk).first())
    day.source = WorkCalendarDay.Source.ADMIN
    day.save()
    audit(
        actor=actor,
        verb="timelimits.calendar.update",
        subject=day,
        data={
            "date": day.date.isoformat(),
            "is_workday": day.is_workday,
            "kind": day.kind,
            "changes": changes(before, snapshot(day)),
        },
    )
    return deadlines_recompute(
        deadlines=_affected_by(day.date, day.date), actor=actor, reason="calendar"
    )


@transaction.atomic
def calendar_load_year(*, year: int, rows: Iterable[DayRow], source: str, actor) -> int:
    """Load (or replace) a whole year; recompute provisional and affected clocks. Returns how many."""
    rows = list(rows)
    if not rows or any(r.date.year != year for r in rows):
        raise ApplicationError(
            _("日历数据与年份 %(year)s 不符。") % {"year": year}, code="bad_year", field="year"
        )
    WorkCalendarDay.objects.filter(date__year=year).delete()
    WorkCalendarDay.objects.bulk_create(
        WorkCalendarDay(
            date=r.date, is_workday=r.is_workday, kind=r.kind, name=r.name, source=source
        )
        for r in rows
    )
    first = WorkCalendarDay.objects.filter(date__year=year).order_by("date").first()
    audit(
        actor=actor,
        verb="timelimits.calendar.load_year",
        subject=first,
        data={
            "year": year,
            "source": source,
            "holidays": sum(1 for r in rows if r.kind == "holiday"),
            "makeup_workdays": sum(1 for r in rows if r.kind == "makeup"),
        },
    )
    return deadlines_recompute(
        deadlines=_affected_by(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        actor=actor,
        reason="calendar",
    )


def _affected_by(first: dt.date, last: dt.date) -> QuerySet[Deadline]:
    """Open clocks whose moments may fall on a day in [first, last], and all provisional ones."""
    # A ladder reaches a few weeks past due; 120 days covers any seeded ladder.
    window_start = calendar.closes_at(first) - dt.timedelta(days=120)
    return Deadline.objects.filter(state__in=OPEN_STATES).filter(
        Q(provisional=True) | Q(due_at__gte=window_start, started_at__lte=calendar.closes_at(last))
    )


def deadlines_recompute(*, deadlines: QuerySet[Deadline], actor, reason: str) -> int:
    """Recompute open clocks from their stored facts; one ``recompute`` event per changed clock."""
    now = timezone.now()
    cal = calendar.current()
    ids = list(deadlines.filter(state__in=OPEN_STATES).values_list("id", flat=True))
    changed = 0
    fields = [
        "limit",
        "unit",
        "warn_at",
        "due_at",
        "escalate_at",
        "provisional",
        "light",
        "escalation_level",
        "next_action_at",
    ]
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = list(
            Deadline.objects.select_for_update(of=("self",))
            .select_related("policy")
            .prefetch_related("policy__steps")
            .filter(pk__in=ids[start : start + RECOMPUTE_CHUNK], state__in=OPEN_STATES)
        )
        updated, events = [], []
        for deadline in chunk:
            before = tuple(getattr(deadline, f) for f in fields)
            deadline.limit = deadline.policy.limit
            deadline.unit = deadline.policy.unit
            apply_schedule(deadline, now=now, cal=cal)
            if tuple(getattr(deadline, f) for f in fields) == before:
                continue
            updated.append(deadline)
            events.append(
                DeadlineEvent(
                    deadline=deadline,
                    type=DeadlineEvent.Type.RECOMPUTE,
                    at=now,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    light=deadline.light,
                    level=deadline.escalation_level,
                    data={
                        "reason": reason,
                        "due_at": deadline.due_at.isoformat(),
                        "was_due_at": before[3].isoformat(),
                        "provisional": deadline.provisional,
                    },
                )
            )
        Deadline.objects.bulk_update(updated, fields)
        DeadlineEvent.objects.bulk_create(events)
        changed += len(updated)
    return changed
