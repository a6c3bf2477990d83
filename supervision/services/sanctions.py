"""效能问责: issue a sanction (with its source and issuer), threshold rules that propose into a
queue (issue or dismiss with a reason), appeals decided by someone other than the issuer.

Counting windows are calendar years or months, per person or per agency (cn_rules §6.2):
three 诫勉谈话 in a year → propose 效能告诫; two 效能告诫 → propose 组织处理; N red cards
of an agency in a month → propose 通报批评. The numbers are rows of ``ThresholdRule``.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError
from organizations.audit import audit
from organizations.models import Agency, StaffProfile
from supervision.models import (
    FigureMonth,
    Sanction,
    SanctionAppeal,
    SanctionKind,
    SanctionProposal,
    SourceType,
    ThresholdRule,
)
from supervision.services.access import require_office, require_person

_SOURCE_FIELDS = {
    SourceType.COMPLAINT: "source_complaint",
    SourceType.INSPECTION: "source_finding",
    SourceType.RANKING: "source_outcome",
    SourceType.CARD: "source_deadline",
    SourceType.RULE: "source_proposal",
}


def _issue(
    *,
    actor,
    kind: SanctionKind,
    agency: Agency,
    person: StaffProfile | None,
    source_type: str,
    source,
    reason: str,
    document_no: str = "",
    issued_on: dt.date | None = None,
    reference_decision: str = "",
) -> Sanction:
    require_person(actor, field="issued_by")
    require_office(actor)
    if kind is None or not kind.is_active:
        raise ApplicationError(_("请选择问责方式。"), code="no_kind", field="kind")
    if agency is None:
        raise ApplicationError(_("请选择被问责单位。"), code="no_agency", field="agency")
    if person is not None and person.agency_id != agency.pk:
        raise ApplicationError(
            _("被问责人不属于被问责单位。"), code="person_not_in_agency", field="person"
        )
    if source_type not in _SOURCE_FIELDS or source is None:
        raise ApplicationError(
            _("问责必须注明来源（投诉、明察暗访问题、排名结果、红黄牌或累计规则）。"),
            code="no_source",
            field="source_type",
        )
    if not (reason or "").strip():
        raise ApplicationError(_("请填写事实与理由。"), code="no_reason", field="reason")
    if kind.reference_only and not (reference_decision or "").strip():
        raise ApplicationError(
            _("“%(kind)s”由有权机关决定，请填写该决定的文号或名称。") % {"kind": kind.name},
            code="reference_required",
            field="reference_decision",
        )
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise ApplicationError(_("决定日期不能晚于今天。"), code="future_date", field="issued_on")
    sanction = Sanction.objects.create(
        kind=kind,
        agency=agency,
        person=person,
        source_type=source_type,
        **{_SOURCE_FIELDS[source_type]: source},
        reason=reason.strip(),
        document_no=(document_no or "").strip()[:60],
        reference_decision=(reference_decision or "").strip()[:200],
        issued_by=actor,
        issued_on=issued_on,
    )
    audit(
        actor=actor,
        verb="sanction_issue",
        subject=sanction,
        agency=agency,
        data={
            "kind": kind.code,
            "person": person.pk if person else None,
            "source": source_type,
            "document_no": sanction.document_no,
        },
    )
    _evaluate_sanction_rules(sanction)
    return sanction


@transaction.atomic
def sanction_issue(**kwargs) -> Sanction:
    """Record a sanction (the office), then let the threshold rules propose what follows."""
    return _issue(**kwargs)


# --------------------------------------------------------------------------- threshold rules


def _window(rule: ThresholdRule, day: dt.date) -> tuple[str, dt.date, dt.date]:
    if rule.window == ThresholdRule.Window.MONTH:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        return f"{start:%Y-%m}", start, end
    return f"{day.year}", dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)


def _propose(rule: ThresholdRule, *, agency_id: int, person_id, key: str, count: int) -> bool:
    try:
        with transaction.atomic():
            SanctionProposal.objects.create(
                rule=rule, agency_id=agency_id, person_id=person_id, window_key=key, count=count
            )
    except IntegrityError:
        return False  # already proposed for this subject and window
    return True


def _evaluate_sanction_rules(sanction: Sanction) -> None:
    rules = ThresholdRule.objects.filter(
        is_active=True, counts=ThresholdRule.Counts.SANCTIONS, counted_kind=sanction.kind
    )
    for rule in rules:
        if rule.subject == ThresholdRule.Subject.PERSON and sanction.person_id is None:
            continue
        key, start, end = _window(rule, sanction.issued_on)
        counted = Sanction.objects.filter(
            kind=rule.counted_kind, issued_on__gte=start, issued_on__lt=end
        ).exclude(state=Sanction.State.REVOKED)
        if rule.subject == ThresholdRule.Subject.PERSON:
            counted = counted.filter(person_id=sanction.person_id)
        else:
            counted = counted.filter(agency_id=sanction.agency_id)
        n = counted.count()
        if n >= rule.threshold:
            person_id = sanction.person_id if rule.subject == ThresholdRule.Subject.PERSON else None
            _propose(rule, agency_id=sanction.agency_id, person_id=person_id, key=key, count=n)


@transaction.atomic
def card_rules_evaluate(*, today: dt.date | None = None) -> int:
    """N red cards of an agency in this month (from the rollup) → a proposal; idempotent."""
    today = today or timezone.localdate()
    made = 0
    for rule in ThresholdRule.objects.filter(is_active=True, counts=ThresholdRule.Counts.RED_CARDS):
        key, start, _end = _window(rule, today)
        months = FigureMonth.objects.filter(
            indicator="timelimits.red_cards", month__gte=start, month__lte=today
        )
        rows = months.values("agency_id").annotate(n=Sum("numerator")).filter(n__gte=rule.threshold)
        for row in rows:
            made += _propose(
                rule, agency_id=row["agency_id"], person_id=None, key=key, count=row["n"]
            )
    return made


def _locked_proposal(proposal: SanctionProposal) -> SanctionProposal:
    current = (
        SanctionProposal.objects.select_for_update().select_related("rule").get(pk=proposal.pk)
    )
    if current.state != SanctionProposal.State.PROPOSED:
        raise ApplicationError(
            _("该建议已处理（%(state)s）。") % {"state": current.get_state_display()},
            code="already_decided",
        )
    return current


@transaction.atomic
def proposal_issue(
    *, actor, proposal: SanctionProposal, reason: str, document_no: str = ""
) -> Sanction:
    """Issue what a rule proposed: the sanction names the proposal as its source."""
    require_office(actor)
    current = _locked_proposal(proposal)
    sanction = _issue(
        actor=actor,
        kind=current.rule.proposes,
        agency=current.agency,
        person=current.person,
        source_type=SourceType.RULE,
        source=current,
        reason=reason
        or _("%(rule)s：%(window)s 累计 %(n)s 次。")
        % {"rule": current.rule.name, "window": current.window_key, "n": current.count},
        document_no=document_no,
    )
    current.state = SanctionProposal.State.ISSUED
    current.decided_by, current.decided_at = actor, timezone.now()
    current.reason = (reason or "")[:300]
    current.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return sanction


@transaction.atomic
def proposal_dismiss(*, actor, proposal: SanctionProposal, reason: str) -> SanctionProposal:
    require_office(actor)
    if not (reason or "").strip():
        raise ApplicationError(_("不予采纳须说明理由。"), code="reason_required", field="reason")
    current = _locked_proposal(proposal)
    current.state = SanctionProposal.State.DISMISSED
    current.decided_by, current.decided_at = actor, timezone.now()
    current.reason = reason.strip()[:300]
    current.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit(
        actor=actor,
        verb="sanction_proposal_dismiss",
        subject=current,
        agency=current.agency,
        data={"reason": current.reason},
    )
    return current


# --------------------------------------------------------------------------- appeals


def may_appeal(user, sanction: Sanction) -> bool:
    """The sanctioned person, or for a unit's sanction its head."""
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return False
    if sanction.person_id is not None:
        return profile.pk == sanction.person_id
    return profile.agency_id == sanction.agency_id and profile.is_unit_head


@transaction.atomic
def sanction_appeal(*, actor, sanction: Sanction, reason: str) -> SanctionAppeal:
    require_person(actor)
    current = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if not may_appeal(actor, current):
        raise ApplicationError(
            _("只有被问责人（或被问责单位的负责人）可以申诉。"), code="not_appellant"
        )
    if (
        current.state != Sanction.State.ISSUED
        or SanctionAppeal.objects.filter(sanction=current).exists()
    ):
        raise ApplicationError(_("该问责已申诉过，不能再次申诉。"), code="already_appealed")
    if not (reason or "").strip():
        raise ApplicationError(_("请填写申诉理由。"), code="no_reason", field="reason")
    appeal = SanctionAppeal.objects.create(sanction=current, appellant=actor, reason=reason.strip())
    current.state = Sanction.State.APPEALED
    current.save(update_fields=["state"])
    audit(actor=actor, verb="sanction_appeal", subject=current, agency=current.agency)
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: SanctionAppeal, revoke: bool, note: str) -> SanctionAppeal:
    """Uphold or revoke; the issuer of the sanction may not decide its appeal."""
    require_office(actor)
    current = (
        SanctionAppeal.objects.select_for_update().select_related("sanction").get(pk=appeal.pk)
    )
    sanction = current.sanction
    if sanction.issued_by_id == actor.pk:
        raise ApplicationError(
            _("申诉须由作出问责决定以外的人员审理。"), code="issuer_decides", field=None
        )
    if current.result != SanctionAppeal.Result.PENDING:
        raise ApplicationError(_("该申诉已审理。"), code="already_decided")
    if not (note or "").strip():
        raise ApplicationError(_("请填写审理意见。"), code="no_note", field="note")
    current.result = SanctionAppeal.Result.REVOKED if revoke else SanctionAppeal.Result.UPHELD
    current.decided_by, current.decided_at = actor, timezone.now()
    current.decision_note = note.strip()[:300]
    current.save(update_fields=["result", "decided_by", "decided_at", "decision_note"])
    Sanction.objects.filter(pk=sanction.pk).update(
        state=Sanction.State.REVOKED if revoke else Sanction.State.UPHELD
    )
    audit(
        actor=actor,
        verb="sanction_appeal_decide",
        subject=sanction,
        agency=sanction.agency,
        data={"result": current.result, "note": current.decision_note},
    )
    return current
