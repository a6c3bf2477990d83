"""督办 (graded supervision) of a complaint: issued by the office, answered in writing by the agency.

complaint_supervise            office issues a 督办 of a level to the handling agency
                               (or a person in it); the answer clock starts     (any open state)
complaint_supervision_answer   the recipient agency's handler answers in writing;
                               the clock stops, met or missed                    (any state)
supervision_level_save         a level (一般 / 重点 / 挂牌) and its answer time limit,
                               edited in the admin, audited

The answer clock is the deadline engine's (kind ``complaint.supervision_answer``,
category the level's code): its limit, warning and 督办 ladder are policy rows; the
sweep turns it red and escalates to the unit head and the office when the answer is
late, as for every other clock (``timelimits.sweep``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import clocks, duties, notices, steps
from complaints.models import Complaint, Supervision, SupervisionLevel
from complaints.selectors.supervision import supervision_may_answer
from efficiency_portal.errors import ApplicationError
from organizations.audit import audit, changes, snapshot
from timelimits import config as engine_config
from timelimits.models import TimeLimitPolicy, Unit

LEVEL_FIELDS = ("code", "name", "name_en", "order", "is_active")


def _level(level: SupervisionLevel | None) -> SupervisionLevel:
    """The level asked for (it must be in use), or the mildest one in use (一般)."""
    if level is None:
        level = SupervisionLevel.objects.filter(is_active=True).order_by("order", "code").first()
        if level is None:
            raise ApplicationError(_("没有启用的督办级别。"), code="no_level", field="level")
        return level
    level = SupervisionLevel.objects.filter(pk=level.pk).first()
    if level is None or not level.is_active:
        raise ApplicationError(_("该督办级别已停用。"), code="level_inactive", field="level")
    return level


def _member_of(user, agency_id: int) -> bool:
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return profile is not None and profile.agency_id == agency_id and user.is_active


@transaction.atomic
def complaint_supervise(
    *,
    complaint: Complaint,
    actor,
    instruction: str,
    level: SupervisionLevel | None = None,
    recipient_person=None,
) -> Supervision:
    """督办 the handling agency: the instruction on record, the answer clock started, notices out.

    Steps: the office only; the case locked and in an open state; a handling agency to
    press (before routing there is none); the level in use (一般 if none is given); the
    person, if named, a member of that agency; the row, the clock (responsible: the
    person, else the case's responsible person if they belong to the agency, else the
    unit head hears through the sweep); a timeline event; notices to the person and
    the unit heads.
    """
    steps.require_office(actor, "supervise")
    complaint = steps.lock(complaint)
    steps.workflow.ensure_allowed("supervise", complaint)
    instruction = steps.require_text(
        instruction, field="instruction", message=_("请填写督办意见。")
    )
    if complaint.handling_agency_id is None:
        raise ApplicationError(
            _("投诉 %(no)s 尚未交办，没有可督办的承办单位。") % {"no": complaint.tracking_no},
            code="no_recipient",
            field="recipient_person",
        )
    level = _level(level)
    agency = complaint.handling_agency
    if recipient_person is not None and not _member_of(recipient_person, agency.pk):
        raise ApplicationError(
            _("督办对象人员须是承办单位（%(agency)s）的工作人员。") % {"agency": agency.name},
            code="recipient_not_in_agency",
            field="recipient_person",
        )
    supervision = Supervision.objects.create(
        complaint=complaint,
        level=level,
        issued_by=actor,
        instruction=instruction,
        recipient_agency=agency,
        recipient_person=recipient_person,
    )
    responsible = recipient_person
    if responsible is None and _member_of(complaint.responsible, agency.pk):
        responsible = complaint.responsible
    deadline = clocks.start_supervision_answer(supervision, responsible=responsible, actor=actor)
    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
    steps.event(
        complaint,
        verb="supervise",
        actor=actor,
        note=instruction,
        data={
            "supervision": supervision.pk,
            "level": level.code,
            "level_name": level.name,
            "recipient_agency": agency.pk,
            "recipient_person": recipient_person.pk if recipient_person else None,
            "answer_due_at": deadline.due_at.isoformat(),
        },
    )
    # 挂牌督办 (or whichever levels the rules name) goes to a leader for 批示 (complaints.duties).
    duties.request_endorsement(complaint, actor=actor, supervision_level=level.code)
    subject = notices.text(
        N_("督办：投诉 %(no)s（%(level)s），请于 %(due)s 前书面答复"),
        level=level.name,
        no=complaint.tracking_no,
        due=due,
    )
    notices.to_staff(
        responsible,
        complaint=complaint,
        subject=subject,
        body=instruction,
        key=f"supervise:{supervision.pk}",
    )
    notices.to_agency(
        agency,
        complaint=complaint,
        subject=subject,
        body=instruction,
        key=f"supervise:{supervision.pk}",
    )
    return supervision


@transaction.atomic
def complaint_supervision_answer(*, supervision: Supervision, actor, answer: str) -> Supervision:
    """The recipient agency's written answer (书面答复) to a 督办: recorded, its clock stopped.

    Only a handler of the recipient agency may answer (``supervision_may_answer``); a
    督办 is answered once. The clock stops as done: met when on time, missed when late
    (the sweep has already turned a late one red and escalated it).
    """
    complaint = steps.lock(supervision.complaint_id)
    steps.workflow.ensure_allowed("answer_supervision", complaint)
    row = Supervision.objects.select_for_update().filter(pk=supervision.pk).first()
    if row is None or row.complaint_id != complaint.pk:
        raise ApplicationError(_("督办不存在。"), code="not_found")
    if not supervision_may_answer(actor, row):
        raise ApplicationError(
            _("只有督办对象单位（%(agency)s）的承办人员可以答复督办。")
            % {"agency": row.recipient_agency.name},
            code="forbidden",
        )
    if row.answered_at is not None:
        raise ApplicationError(_("该督办已答复。"), code="already_answered", field="answer")
    answer = steps.require_text(answer, field="answer", message=_("请填写书面答复。"))
    row.answer, row.answered_by, row.answered_at = answer, actor, steps.now()
    row.save(update_fields=["answer", "answered_by", "answered_at"])
    deadline = clocks.stop_supervision_answer(row, actor=actor, at=row.answered_at)
    outcome = deadline.state if deadline is not None else ""
    steps.event(
        complaint,
        verb="answer_supervision",
        actor=actor,
        note=answer,
        data={"supervision": row.pk, "level": row.level.code, "outcome": outcome},
    )
    notices.to_staff(
        row.issued_by,
        complaint=complaint,
        subject=notices.text(N_("督办已答复：投诉 %(no)s"), no=complaint.tracking_no),
        body=answer,
        key=f"supervision-answer:{row.pk}",
    )
    return row


def level_policy(level: SupervisionLevel) -> TimeLimitPolicy | None:
    """The answer time limit of ``level`` (its own policy row), or None when it uses the default."""
    return TimeLimitPolicy.objects.filter(
        kind=clocks.SUPERVISION_ANSWER, category=level.code
    ).first()


def _save_limit(level: SupervisionLevel, *, actor, limit: int, unit: str) -> int:
    """Write the level's answer limit through the engine's audited ``policy_save``.

    A level without a policy of its own gets one, with the default policy's ladder;
    changing one recomputes the level's running answer clocks. Returns how many.
    """
    policy = level_policy(level)
    if policy is None:
        default = TimeLimitPolicy.objects.filter(
            kind=clocks.SUPERVISION_ANSWER, category=""
        ).first()
        policy = TimeLimitPolicy(
            kind=clocks.SUPERVISION_ANSWER,
            category=level.code,
            name=_("%(level)s答复") % {"level": level.name},
            warn_before=default.warn_before if default else None,
        )
        ladder = [
            engine_config.StepSpec(**{f: getattr(s, f) for f in engine_config.STEP_FIELDS})
            for s in (default.steps.order_by("level") if default else [])
        ]
        policy.limit, policy.unit = limit, unit
        if policy.warn_before is not None and policy.warn_before >= limit:
            policy.warn_before = None  # a short limit has no room for the default warning
        return engine_config.policy_save(policy=policy, actor=actor, steps=ladder)
    policy.limit, policy.unit = limit, unit
    return engine_config.policy_save(policy=policy, actor=actor)


def _level_state(level: SupervisionLevel | None) -> dict:
    """The level's fields and its answer limit, as its audit row records them."""
    if level is None or level.pk is None:
        return {}
    policy = level_policy(level)
    return snapshot(level, LEVEL_FIELDS) | {
        "answer_limit": policy.limit if policy else None,
        "answer_unit": policy.unit if policy else None,
    }


@transaction.atomic
def supervision_level_save(
    *,
    actor,
    level: SupervisionLevel | None,
    limit: int | None = None,
    unit: str | None = None,
    **fields,
) -> SupervisionLevel:
    """Create (``level=None``) or change a 督办级别, and its answer limit when given.

    One audit row for the level (before → after, its answer limit included); the limit
    itself is the engine's policy, written by ``timelimits.config.policy_save``, which
    audits the policy and recomputes the level's running answer clocks. The code names
    the policy category, so it is fixed once created.
    """
    unknown = sorted(set(fields) - set(LEVEL_FIELDS))
    if unknown:
        raise ApplicationError(
            _("不能修改的字段：%(f)s") % {"f": "、".join(unknown)}, code="unknown_field"
        )
    if "name" in fields and not (fields["name"] or "").strip():
        raise ApplicationError(_("请填写督办级别名称。"), code="required", field="name")
    if unit is not None and unit not in Unit.values:
        raise ApplicationError(_("未知的时限单位。"), code="bad_unit", field="unit")
    if level is None:
        code = (fields.get("code") or "").strip()
        if not code:
            raise ApplicationError(_("请填写督办级别代码。"), code="required", field="code")
        if SupervisionLevel.objects.filter(code=code).exists():
            raise ApplicationError(
                _("督办级别代码 %(code)s 已存在。") % {"code": code},
                code="duplicate_code",
                field="code",
            )
        row, before = SupervisionLevel(**{**fields, "code": code}), {}
    else:
        row = SupervisionLevel.objects.select_for_update().get(pk=level.pk)
        if "code" in fields and fields["code"] != row.code:
            raise ApplicationError(
                _("督办级别代码创建后不能修改：它是答复时限规则的类别。"),
                code="code_fixed",
                field="code",
            )
        before = _level_state(row)
        for name, value in fields.items():
            setattr(row, name, value)
    if level is None or changes(
        {k: v for k, v in before.items() if k in LEVEL_FIELDS}, snapshot(row, LEVEL_FIELDS)
    ):
        row.save()
    if limit is not None:
        policy = level_policy(row)
        unit = unit or (policy.unit if policy is not None else Unit.WORKING_DAYS)
        if policy is None or (policy.limit, policy.unit) != (limit, unit):
            _save_limit(row, actor=actor, limit=limit, unit=unit)
    diff = changes(before, _level_state(row))
    if diff:
        audit(
            actor=actor,
            verb="complaints.supervision_level.update"
            if level is not None
            else "complaints.supervision_level.create",
            subject=row,
            data={"changes": diff},
        )
    return row
