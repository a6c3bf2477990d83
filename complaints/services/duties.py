"""领导批示 and the settings of the separation of duties (职责分离), edited in the admin.

* ``complaint_endorse`` — a leader (领导, ``complaints.endorse_complaint``) records the
  批示 on a case waiting for one; a timeline event; the office's 首问负责人 is told.
* ``duty_policy_update`` — the one row of 职责分离设置, audited (before → after).
* ``endorsement_rule_save`` — create or change a 领导批示规则, audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import duties, notices, selectors, steps, workflow
from complaints.models import Complaint, DutyPolicy, Endorsement, EndorsementRule, Remedy
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit, changes, snapshot

DUTY_POLICY_FIELDS = ("separate_plan_approval", "office_not_handler", "leader_endorsement")
RULE_FIELDS = (
    "code",
    "name",
    "trigger",
    "outcomes",
    "remedy_kinds",
    "supervision_level",
    "is_active",
)


@transaction.atomic
def complaint_endorse(*, complaint: Complaint, actor, text: str) -> Endorsement:
    """The leader's 批示 on a case that waits for one; afterwards the office may file it."""
    if actor is None or not actor.has_perm(duties.ENDORSE_PERM):
        raise ApplicationError(_("只有领导可以作出批示。"), code="forbidden")
    if selectors.complaint_get_for_user(user=actor, pk=complaint.pk) is None:
        raise ApplicationError(_("投诉不存在。"), code="not_found")  # outside the leader's scope
    complaint = steps.lock(complaint)
    workflow.ensure_allowed("endorse", complaint)
    text = steps.require_text(text, field="text", message=_("请填写批示内容。"))
    pending = (
        Endorsement.objects.select_for_update()
        .filter(complaint=complaint, endorsed_at__isnull=True)
        .first()
    )
    if pending is None:
        raise ApplicationError(_("该投诉没有待批示事项。"), code="no_endorsement", field="text")
    pending.leader, pending.text, pending.endorsed_at = actor, text, steps.now()
    pending.save(update_fields=["leader", "text", "endorsed_at"])
    steps.event(complaint, verb="endorse", actor=actor, note=text, data={"rules": pending.rules})
    notices.to_staff(
        complaint.first_receiver,
        complaint=complaint,
        subject=notices.text(N_("投诉 %(no)s 领导已批示"), no=complaint.tracking_no),
        body=text,
        key=f"endorsed:{pending.pk}",
    )
    return pending


@transaction.atomic
def duty_policy_update(*, actor, **fields) -> DutyPolicy:
    """Change 职责分离设置 (the row is seeded by a migration; created here if it is missing)."""
    unknown = sorted(set(fields) - set(DUTY_POLICY_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    row = DutyPolicy.objects.select_for_update().order_by("pk").first()
    before = snapshot(row, DUTY_POLICY_FIELDS)
    row = row or DutyPolicy()
    for name, value in fields.items():
        setattr(row, name, bool(value))
    diff = changes(before, snapshot(row, DUTY_POLICY_FIELDS))
    if diff:
        row.save()
        audit(
            actor=actor, verb="complaints.duty_policy.update", subject=row, data={"changes": diff}
        )
    return row


def _check_rule(fields: dict) -> None:
    trigger = fields.get("trigger")
    if trigger not in EndorsementRule.Trigger.values:
        raise ApplicationError(_("请选择触发条件。"), code="invalid", field="trigger")
    if trigger == EndorsementRule.Trigger.SANCTION:
        outcomes, kinds = list(fields.get("outcomes") or []), list(fields.get("remedy_kinds") or [])
        if not outcomes or set(outcomes) - set(Complaint.Outcome.values):
            raise ApplicationError(_("请选择核查结论。"), code="invalid", field="outcomes")
        if not kinds or set(kinds) - set(Remedy.Kind.values):
            raise ApplicationError(_("请选择处理措施。"), code="invalid", field="remedy_kinds")
    elif not (fields.get("supervision_level") or "").strip():
        raise ApplicationError(
            _("请填写督办级别代码。"), code="required", field="supervision_level"
        )


@transaction.atomic
def endorsement_rule_save(*, actor, rule: EndorsementRule | None, **fields) -> EndorsementRule:
    """Create (``rule=None``) or change a 领导批示规则; one audit row when it changed."""
    unknown = sorted(set(fields) - set(RULE_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    row = EndorsementRule.objects.select_for_update().get(pk=rule.pk) if rule else None
    merged = {**snapshot(row, RULE_FIELDS), **fields}
    _check_rule(merged)
    code = (merged.get("code") or "").strip()
    if not code:
        raise ApplicationError(_("请填写规则代码。"), code="required", field="code")
    if EndorsementRule.objects.filter(code=code).exclude(pk=row.pk if row else None).exists():
        raise ApplicationError(
            _("规则代码 %(code)s 已存在。") % {"code": code}, code="duplicate_code", field="code"
        )
    before = snapshot(row, RULE_FIELDS)
    row = row or EndorsementRule()
    for name, value in fields.items():
        setattr(row, name, value)
    diff = changes(before, snapshot(row, RULE_FIELDS))
    if diff:
        row.save()
        verb = (
            "complaints.endorsement_rule.create"
            if not before
            else "complaints.endorsement_rule.update"
        )
        audit(actor=actor, verb=verb, subject=row, data={"changes": diff})
    return row
