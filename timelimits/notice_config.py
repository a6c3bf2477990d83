"""Writes to the notice policy and the digest time: audited, as every configuration edit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit, changes, snapshot
from timelimits.models import DigestSchedule, NoticePolicy


@transaction.atomic
def notice_policy_save(*, policy: NoticePolicy, actor) -> NoticePolicy:
    """Add or change one kind's policy (immediate or digest)."""
    policy.code = (policy.code or "").strip()
    if not policy.code:
        raise ApplicationError(_("请填写通知类型代码。"), code="code_required", field="code")
    if policy.delivery not in NoticePolicy.Delivery.values:
        raise ApplicationError(_("请选择通知方式。"), code="bad_delivery", field="delivery")
    clash = NoticePolicy.objects.filter(code=policy.code).exclude(pk=policy.pk)
    if clash.exists():
        raise ApplicationError(
            _("通知类型代码“%(code)s”已存在。") % {"code": policy.code},
            code="code_taken",
            field="code",
        )
    before = snapshot(
        NoticePolicy.objects.select_for_update().filter(pk=policy.pk).first() if policy.pk else None
    )
    policy.save()
    audit(
        actor=actor,
        verb="timelimits.notice_policy.update" if before else "timelimits.notice_policy.create",
        subject=policy,
        data={"code": policy.code, "changes": changes(before, snapshot(policy))},
    )
    return policy


@transaction.atomic
def digest_schedule_save(*, schedule: DigestSchedule, actor) -> DigestSchedule:
    """Set the time of day the digest is composed (one row)."""
    if schedule.send_at is None:
        raise ApplicationError(_("请填写每日汇总时间。"), code="time_required", field="send_at")
    schedule.pk = 1
    before = snapshot(DigestSchedule.objects.select_for_update().filter(pk=1).first())
    schedule.save()
    audit(
        actor=actor,
        verb="timelimits.digest_schedule.update",
        subject=schedule,
        data={
            "send_at": schedule.send_at.strftime("%H:%M"),
            "changes": changes(before, snapshot(schedule)),
        },
    )
    return schedule
