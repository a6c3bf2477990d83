"""Separation of duties (职责分离): who may do what, as ``DutyPolicy`` and ``EndorsementRule`` say.

The services ask here (the buttons ask the same functions, so what is offered is
what the service accepts):

* ``require_not_proposer`` — the proposer of a handling plan does not approve it;
* ``may_act_as_handler`` — 签收, 退回, 上传证据, 申请延期, 办结, 答复 belong to the handling
  agency; the office presses them only when its own agency handles the case (自办);
* ``request_endorsement`` — a case matched by an active rule waits for a leader's 批示
  (``Endorsement``), and ``require_no_pending_endorsement`` keeps it from 归档 meanwhile.

With a switch of the policy off, the old behaviour comes back: one office member may
propose and approve, the office may press every button, no case waits for a leader.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintEvent, DutyPolicy, Endorsement, EndorsementRule
from efficiency_portal.errors import ApplicationError
from organizations.scoping import visible_agency_ids

OFFICE_PERM = "complaints.office_complaint"
HANDLER_PERM = "complaints.handle_complaint"
ENDORSE_PERM = "complaints.endorse_complaint"


def policy() -> DutyPolicy:
    return DutyPolicy.current()


# --- 拟办与审批分离 ------------------------------------------------------------------------


def plan_proposer_id(complaint: Complaint) -> int | None:
    """Who proposed the plan now waiting (the actor of the latest ``plan`` event)."""
    return (
        ComplaintEvent.objects.filter(complaint=complaint, verb="plan")
        .order_by("-occurred_at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def is_own_plan(actor, complaint: Complaint) -> bool:
    if not policy().separate_plan_approval or complaint.state != Complaint.State.PLANNED:
        return False
    return actor is not None and plan_proposer_id(complaint) == actor.pk


def require_not_proposer(actor, complaint: Complaint) -> None:
    if is_own_plan(actor, complaint):
        raise ApplicationError(
            _("拟办人不能审批本人拟定的办理方式，请由效能办其他工作人员审批。"),
            code="own_plan",
        )


# --- 承办单位的操作 ------------------------------------------------------------------------


def own_agency_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return profile.agency_id if profile is not None else None


def may_act_as_handler(actor, complaint: Complaint) -> bool:
    """A member of the handling agency with the handler's permission; the office as the policy says."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.has_perm(HANDLER_PERM):
        ids = visible_agency_ids(actor)
        if ids is None or complaint.handling_agency_id in ids:
            return True
    if not actor.has_perm(OFFICE_PERM):
        return False
    if not policy().office_not_handler:
        return True  # the old behaviour: the office may act for any agency
    return complaint.handling_agency_id is not None and (
        complaint.handling_agency_id == own_agency_id(actor)
    )


# --- 领导批示 -----------------------------------------------------------------------------


def matching_rules(
    *, outcome: str = "", remedy_kinds: Iterable[str] = (), supervision_level: str = ""
) -> list[EndorsementRule]:
    """The active rules a finding (outcome and remedies) or a 督办 level matches."""
    if not policy().leader_endorsement:
        return []
    kinds = set(remedy_kinds)

    def matches(rule: EndorsementRule) -> bool:
        if rule.trigger == EndorsementRule.Trigger.SANCTION:
            return bool(outcome in rule.outcomes and kinds & set(rule.remedy_kinds))
        if rule.trigger == EndorsementRule.Trigger.SUPERVISION_LEVEL:
            return bool(supervision_level) and supervision_level == rule.supervision_level
        return False

    return [rule for rule in EndorsementRule.objects.filter(is_active=True) if matches(rule)]


def request_endorsement(
    complaint: Complaint,
    *,
    actor,
    outcome: str = "",
    remedy_kinds: Iterable[str] = (),
    supervision_level: str = "",
) -> Endorsement | None:
    """Inside a step's transaction: if a rule matches, the case waits for a leader's 批示.

    Called by ``complaint_conclude`` with the finding, and meant to be called by the
    督办 step with the level's code. A case already waiting keeps its one pending row,
    which gains the new rule codes. One timeline event (``endorsement_requested``).
    """
    rules = matching_rules(
        outcome=outcome, remedy_kinds=remedy_kinds, supervision_level=supervision_level
    )
    if not rules:
        return None
    codes = [rule.code for rule in rules]
    pending = (
        Endorsement.objects.select_for_update()
        .filter(complaint=complaint, endorsed_at__isnull=True)
        .first()
    )
    if pending is None:
        pending = Endorsement.objects.create(
            complaint=complaint, round_no=complaint.round_no, rules=codes
        )
    else:
        pending.rules = sorted(set(pending.rules) | set(codes))
        pending.save(update_fields=["rules"])
    from complaints import steps  # steps imports this module

    steps.event(
        complaint,
        verb="endorsement_requested",
        actor=actor,
        note="、".join(rule.name for rule in rules),
        data={"rules": codes},
    )
    return pending


def pending_endorsement(complaint: Complaint) -> Endorsement | None:
    return complaint.endorsements.filter(endorsed_at__isnull=True).first()


def require_no_pending_endorsement(complaint: Complaint) -> None:
    if not policy().leader_endorsement:
        return  # switched off: a case still waiting may be filed, as before the rule
    if complaint.endorsements.filter(endorsed_at__isnull=True).exists():
        raise ApplicationError(
            _("该投诉须经领导批示，批示后才能归档。"), code="endorsement_pending", field="state"
        )
