"""The deadline engine's interface for every other app: start, pause, resume, extend, stop a clock.

    deadline = deadline_start(subject=complaint, kind="complaint.handle", agency=agency,
                              responsible=clerk, category="urgent", actor=user)
    deadline_pause(deadline=deadline, reason="专家评审", actor=user)      # 第45条 excluded time
    deadline_resume(deadline=deadline, actor=user)
    deadline_extend(deadline=deadline, amount=15, approver=office_user, reason="案情复杂")
    deadline_reassign(deadline=deadline, responsible=signer, actor=signer)  # 首问负责 hand-over
    deadline_stop(deadline=deadline, outcome="done", actor=user)         # -> met / missed
    deadline_current(subject=complaint, kind="complaint.handle")         # -> Deadline | None
    deadline_preview(kind="complaint.return_window", start=now)        # -> due time, no clock
    notify(recipient=user, subject="…", body="…", channels=["in_app", "email"],
           dedupe_key="complaint:42:assigned")
    notify_address(phone="139…", email="…", subject="…", body="…",  # no account: SMS / e-mail
                   dedupe_key="complaint:42:submitted")

Every function is keyword-only, runs in one transaction, writes a ``DeadlineEvent``
and raises ``ApplicationError`` (nothing written) on bad input. Lights and the
督办 ladder are moved by the sweep (``timelimits.sweep``), never by callers. The
policy (limit, unit, warning, extensions, ladder) is chosen by ``kind`` and
``category`` from ``TimeLimitPolicy``; a category without its own policy uses the
kind's default. Notifications are outbox rows delivered after commit.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from timelimits import calendar, clock
from timelimits.law import CEILINGS
from timelimits.models import Deadline, DeadlineEvent, TimeLimitPolicy
from timelimits.outbox import (
    alert_unpublished_calendar,
    enqueue_delivery,
    notify,
    notify_address,
)
from timelimits.versions import Versioned, fingerprint

OPEN_STATES = (Deadline.State.RUNNING, Deadline.State.PAUSED)
OUTCOMES = ("done", "cancelled")
__all__ = [
    "alert_unpublished_calendar",
    "deadline_current",
    "deadline_extend",
    "deadline_pause",
    "deadline_preview",
    "deadline_reassign",
    "deadline_resume",
    "deadline_start",
    "deadline_stop",
    "enqueue_delivery",
    "notify",
    "notify_address",
    "policy_for",
]


def _load_policies() -> dict[tuple[str, str], TimeLimitPolicy]:
    active = TimeLimitPolicy.objects.filter(is_active=True).prefetch_related("steps")
    return {(p.kind, p.category): p for p in active}


# Policies and their ladders, per process; rebuilt when a trigger bumps the "policy"
# version (any write to either table). The instances are shared: read, never save.
_policies = Versioned("policy", _load_policies)


def _configuration(kind: str, category: str | None) -> tuple[TimeLimitPolicy, calendar.Calendar]:
    """The policy and the calendar, both revalidated with a single version read."""
    versions = fingerprint()
    policies = _policies.get(versions=versions)
    policy = policies.get((kind, category or "")) or policies.get((kind, ""))
    if policy is None:
        raise ApplicationError(
            _("未知的时限类型：%(kind)s。") % {"kind": kind}, code="unknown_kind", field="kind"
        )
    return policy, calendar.current(versions=versions)


def policy_for(*, kind: str, category: str | None = None) -> TimeLimitPolicy:
    """The active policy for ``kind`` and ``category``, falling back to the kind's default."""
    return _configuration(kind, category)[0]


def deadline_preview(*, kind: str, category: str | None = None, start: dt.datetime) -> dt.datetime:
    """When a clock of ``kind`` started at ``start`` would be due, without starting one.

    For windows nobody owes anything in (the return window) and for promises
    (the expected completion date): the same policy and calendar as a real clock.
    """
    policy, cal = _configuration(kind, category)
    draft = Deadline(unit=policy.unit, limit=policy.limit, started_at=start, due_at=start)
    return clock.schedule(draft, policy, [], cal).due_at


def _event(deadline: Deadline, type_: str, *, at, actor=None, **data) -> DeadlineEvent:
    return DeadlineEvent.objects.create(
        deadline=deadline,
        type=type_,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        light=deadline.light,
        level=deadline.escalation_level,
        data=data,
    )


def apply_schedule(deadline: Deadline, *, now: dt.datetime, cal=None) -> None:
    """Recompute the moments of an open clock in memory; lower its light if the due time moved out.

    A light never rises here: when the new moments are already past, ``next_action_at``
    is set in the past and the sweep raises the light with its events and notices.
    """
    cal = cal or calendar.current()
    policy = deadline.policy
    result = clock.schedule(deadline, policy, list(policy.steps.all()), cal)
    deadline.warn_at = result.warn_at
    deadline.due_at = result.due_at
    deadline.escalate_at = result.escalate_at
    deadline.provisional = result.provisional
    light, level = clock.derive(
        now=now, warn_at=result.warn_at, due_at=result.due_at, escalate_at=result.escalate_at
    )
    if clock.LIGHT_RANK[light] < clock.LIGHT_RANK[deadline.light]:
        deadline.light = light
    deadline.escalation_level = min(deadline.escalation_level, level)
    deadline.next_action_at = (
        clock.next_action(
            light=deadline.light,
            level=deadline.escalation_level,
            warn_at=deadline.warn_at,
            due_at=deadline.due_at,
            escalate_at=deadline.escalate_at,
        )
        if deadline.state == Deadline.State.RUNNING
        else None
    )


def _locked(deadline: Deadline) -> Deadline:
    return (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("policy")
        .get(pk=deadline.pk)
    )


def _refresh_caller_copy(target: Deadline, source: Deadline) -> Deadline:
    for f in Deadline._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def deadline_start(
    *,
    subject,
    kind: str,
    agency,
    responsible=None,
    category: str | None = None,
    started_at: dt.datetime | None = None,
    actor=None,
) -> Deadline:
    """Start a clock of ``kind`` on ``subject`` for ``agency``; refuses a second open clock of that kind."""
    try:
        return _start(
            subject=subject,
            kind=kind,
            agency=agency,
            responsible=responsible,
            category=category,
            started_at=started_at,
            actor=actor,
        )
    except IntegrityError as exc:
        # The partial unique index deadline_one_open_per_kind refuses the second clock in
        # the INSERT itself (no look-up first, and no race between two starters); the
        # savepoint of _start is rolled back, so the caller's transaction goes on.
        if "deadline_one_open_per_kind" not in str(exc):
            raise
        raise ApplicationError(
            _("该事项已有计时中的同类时限：%(kind)s。") % {"kind": kind},
            code="already_running",
            field="kind",
        ) from None


@transaction.atomic
def _start(*, subject, kind, agency, responsible, category, started_at, actor) -> Deadline:
    if subject is None or subject.pk is None:
        raise ApplicationError(_("时限对象不存在。"), code="no_subject", field="subject")
    policy, cal = _configuration(kind, category)
    now = timezone.now()
    deadline = Deadline(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        kind=kind,
        category=category or "",
        policy=policy,
        agency=agency,
        responsible=responsible,
        unit=policy.unit,
        limit=policy.limit,
        started_at=started_at or now,
        due_at=started_at or now,  # replaced by apply_schedule
    )
    apply_schedule(deadline, now=now, cal=cal)
    deadline.save()
    _event(
        deadline,
        DeadlineEvent.Type.START,
        at=deadline.started_at,
        actor=actor,
        due_at=deadline.due_at.isoformat(),
        limit=deadline.limit,
        unit=deadline.unit,
    )
    if deadline.provisional:  # computed over a year whose holidays are not loaded yet
        alert_unpublished_calendar(year=timezone.localtime(deadline.due_at).year)
    return deadline


@transaction.atomic
def deadline_pause(
    *, deadline: Deadline, reason: str, actor, at: dt.datetime | None = None
) -> Deadline:
    """Stop counting time (补正, 听证/鉴定/专家评审 …); on a paused clock, switch the reason seamlessly."""
    if not (reason or "").strip():
        raise ApplicationError(_("请填写暂停原因。"), code="reason_required", field="reason")
    current = _locked(deadline)
    if current.state not in OPEN_STATES:
        raise ApplicationError(_("时限已结束，不能暂停。"), code="not_running", field="deadline")
    at = at or timezone.now()
    if at < current.started_at:
        raise ApplicationError(_("暂停时间早于开始时间。"), code="bad_time", field="at")
    pauses = list(current.pauses)
    if current.state == Deadline.State.PAUSED:
        # Moving between two paused states: close one interval and open the next at the
        # same instant, so the paused time is neither reset nor counted twice.
        pauses[-1] = {**pauses[-1], "to": at.isoformat()}
    pauses.append({"from": at.isoformat(), "to": None, "reason": reason.strip()})
    current.pauses = pauses
    current.state = Deadline.State.PAUSED
    current.next_action_at = None
    current.save(update_fields=["pauses", "state", "next_action_at"])
    _event(current, DeadlineEvent.Type.PAUSE, at=at, actor=actor, reason=reason.strip())
    return _refresh_caller_copy(deadline, current)


@transaction.atomic
def deadline_resume(*, deadline: Deadline, actor, at: dt.datetime | None = None) -> Deadline:
    """Count time again; the due time moves out by the paused time."""
    current = _locked(deadline)
    if current.state != Deadline.State.PAUSED:
        raise ApplicationError(_("时限未暂停，不能恢复计时。"), code="not_paused", field="deadline")
    at = at or timezone.now()
    pauses = list(current.pauses)
    if at < clock.parse_moment(pauses[-1]["from"]):
        raise ApplicationError(_("恢复时间早于暂停时间。"), code="bad_time", field="at")
    pauses[-1] = {**pauses[-1], "to": at.isoformat()}
    current.pauses = pauses
    current.state = Deadline.State.RUNNING
    apply_schedule(current, now=timezone.now())
    current.save()
    _event(
        current, DeadlineEvent.Type.RESUME, at=at, actor=actor, due_at=current.due_at.isoformat()
    )
    return _refresh_caller_copy(deadline, current)


@transaction.atomic
def deadline_extend(*, deadline: Deadline, amount: int, approver, reason: str) -> Deadline:
    """Grant an extension (延期) within the policy's allowance and the legal ceiling."""
    if not isinstance(amount, int) or amount <= 0:
        raise ApplicationError(_("延期时限必须是正整数。"), code="bad_amount", field="amount")
    if approver is None or not getattr(approver, "is_authenticated", False):
        raise ApplicationError(
            _("延期必须由审批人批准。"), code="approver_required", field="approver"
        )
    if not (reason or "").strip():
        raise ApplicationError(_("请填写延期理由。"), code="reason_required", field="reason")
    current = _locked(deadline)
    if current.state not in OPEN_STATES:
        raise ApplicationError(_("时限已结束，不能延期。"), code="not_running", field="deadline")
    policy = current.policy
    if current.extension_count >= policy.extension_times:
        raise ApplicationError(
            _("该时限最多可延期 %(n)s 次，已用完。") % {"n": policy.extension_times},
            code="extension_times",
            field="amount",
        )
    total = current.extended_by + amount
    if policy.statutory_basis and total > CEILINGS[policy.statutory_basis][1]:
        raise ApplicationError(
            _("延期超过法定上限（%(n)s 个工作日）。") % {"n": CEILINGS[policy.statutory_basis][1]},
            code="legal_ceiling",
            field="amount",
        )
    if total > policy.extension_limit:
        raise ApplicationError(
            _("延期超过允许的 %(n)s %(unit)s。")
            % {"n": policy.extension_limit, "unit": policy.get_unit_display()},
            code="extension_limit",
            field="amount",
        )
    current.extended_by = total
    current.extension_count += 1
    apply_schedule(current, now=timezone.now())
    current.save()
    _event(
        current,
        DeadlineEvent.Type.EXTEND,
        at=timezone.now(),
        actor=approver,
        amount=amount,
        reason=reason.strip(),
        due_at=current.due_at.isoformat(),
    )
    return _refresh_caller_copy(deadline, current)


@transaction.atomic
def deadline_stop(
    *, deadline: Deadline, outcome: str, actor, at: dt.datetime | None = None
) -> Deadline:
    """Stop the clock: ``done`` becomes met or missed against the due time; or ``cancelled``.

    The used and remaining time (in the clock's unit, paused time excluded) are stored.
    """
    if outcome not in OUTCOMES:
        raise ApplicationError(
            _("未知的结束方式：%(outcome)s。") % {"outcome": outcome},
            code="bad_outcome",
            field="outcome",
        )
    current = _locked(deadline)
    if current.state not in OPEN_STATES:
        raise ApplicationError(_("时限已结束。"), code="not_running", field="deadline")
    at = at or timezone.now()
    cal = calendar.current()
    if current.state == Deadline.State.PAUSED:
        pauses = list(current.pauses)
        pauses[-1] = {**pauses[-1], "to": at.isoformat()}
        current.pauses = pauses
    if outcome == "cancelled":
        current.state = Deadline.State.CANCELLED
    else:
        current.state = Deadline.State.MET if at <= current.due_at else Deadline.State.MISSED
    current.used, current.remaining = clock.usage(current, cal, at=at)
    current.stopped_at = at
    current.next_action_at = None
    current.save()
    _event(
        current,
        DeadlineEvent.Type.STOP,
        at=at,
        actor=actor,
        outcome=current.state,
        used=current.used,
        remaining=current.remaining,
        # Enough to recompute 按时签收率 / 按时办结率 from the events table alone.
        kind=current.kind,
        agency_id=current.agency_id,
        due_at=current.due_at.isoformat(),
    )
    return _refresh_caller_copy(deadline, current)


@transaction.atomic
def deadline_reassign(
    *, deadline: Deadline, responsible, actor, reason: str = "", at: dt.datetime | None = None
) -> Deadline:
    """Hand an open clock to another responsible person (首问负责: the signer takes over).

    The due time does not move; a ``reassign`` event records who had it and who has it
    now, so no app writes a clock's ``responsible`` itself. Handing it to the person who
    already holds it writes nothing.
    """
    current = _locked(deadline)
    if current.state not in OPEN_STATES:
        raise ApplicationError(
            _("时限已结束，不能转交责任人。"), code="not_running", field="deadline"
        )
    new_id = responsible.pk if responsible is not None else None
    if current.responsible_id == new_id:
        return _refresh_caller_copy(deadline, current)
    before = current.responsible_id
    current.responsible_id = new_id
    current.save(update_fields=["responsible"])
    _event(
        current,
        DeadlineEvent.Type.REASSIGN,
        at=at or timezone.now(),
        actor=actor,
        responsible_from=before,
        responsible_to=new_id,
        reason=(reason or "").strip(),
    )
    return _refresh_caller_copy(deadline, current)


def deadline_current(*, subject, kind: str | None = None) -> Deadline | None:
    """The subject's open clock (of ``kind`` if given), else its most recently started one."""
    subject_type = ContentType.objects.get_for_model(subject)
    qs = Deadline.objects.filter(subject_type=subject_type, subject_id=subject.pk)
    if kind:
        qs = qs.filter(kind=kind)
    open_first = qs.filter(state__in=OPEN_STATES).order_by("-started_at", "-id").first()
    return open_first or qs.order_by("-started_at", "-id").first()
