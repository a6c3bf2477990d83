"""Routing: the handling plan (呈批: 自办 / 转办 / 联办), its approval, sign-for (签收, 首问负责) and return (退回)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import clocks, duties, notices, steps
from complaints.models import (
    Complaint,
)
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency

S = Complaint.State


# --- 3. Handling plan (呈批: 自办 / 转办 / 联办) ------------------------------------------------


@transaction.atomic
def complaint_plan(
    *,
    complaint: Complaint,
    actor,
    routing: str,
    agency: Agency,
    joint_agencies: Sequence[Agency] = (),
    note: str = "",
) -> Complaint:
    """Propose who handles the case and how; the plan waits for the office's approval."""
    steps.require_office(actor, "plan")
    if routing not in Complaint.Routing.values:
        raise ApplicationError(_("请选择办理方式。"), code="invalid", field="routing")
    if routing == Complaint.Routing.JOINT and not joint_agencies:
        raise ApplicationError(
            _("联办须指定至少一个协办单位。"), code="required", field="joint_agencies"
        )
    if routing == Complaint.Routing.JOINT and agency in joint_agencies:
        raise ApplicationError(
            _("牵头单位不能同时作为协办单位。"), code="lead_is_partner", field="joint_agencies"
        )
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="plan",
        actor=actor,
        note=note,
        data={"routing": routing, "agency": agency.pk},
        plan_routing=routing,
        plan_agency=agency,
        plan_note=note,
    )
    complaint.joint_agencies.set(joint_agencies if routing == Complaint.Routing.JOINT else [])
    return complaint


@transaction.atomic
def complaint_plan_approve(
    *, complaint: Complaint, actor, approve: bool = True, note: str = ""
) -> Complaint:
    """Approve the plan: the case is routed and its sign-for and handling clocks start.

    拟办与审批分离: the member of the office who proposed the plan neither approves nor
    sends it back (``complaints.duties``, as the policy says)."""
    steps.require_office(actor, "approve_plan")
    complaint = steps.lock(complaint)
    duties.require_not_proposer(actor, complaint)
    if not approve:
        return steps.move(
            complaint, action="send_back_plan", actor=actor, note=note, plan_routing=""
        )
    agency = complaint.plan_agency
    now = steps.now()
    complaint = steps.move(
        complaint,
        action="approve_plan",
        actor=actor,
        public=_("投诉已交%(agency)s办理。") % {"agency": agency.name},
        note=note,
        data={"routing": complaint.plan_routing, "agency": agency.pk},
        routing=complaint.plan_routing,
        handling_agency=agency,
        routed_at=now,
        return_due_at=clocks.window_end(clocks.RETURN_WINDOW, start=now),
    )
    # 首问负责: the first receiver stays responsible until the agency signs for the case.
    clocks.start(complaint, clocks.SIGN_FOR, agency=agency, responsible=complaint.responsible)
    clocks.start(complaint, clocks.HANDLE, agency=agency, responsible=complaint.responsible)
    notices.to_agency(
        agency,
        complaint=complaint,
        subject=notices.text(N_("新交办效能投诉 %(no)s，请签收"), no=complaint.tracking_no),
        key=f"routed:{complaint.version}",
    )
    return complaint


# --- 4. Sign-for (签收, 首问负责) or return (退回) ------------------------------------------------


@transaction.atomic
def complaint_sign_for(*, complaint: Complaint, actor) -> Complaint:
    """The handling agency signs for the case; from now on the signer is responsible."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "sign_for")
    complaint = steps.move(
        complaint,
        action="sign_for",
        actor=actor,
        public=_("承办单位已签收，正在调查核实。"),
        data={"handed_over_by": complaint.responsible_id},
        signed_at=steps.now(),
        responsible=actor,
    )
    clocks.stop(complaint, clocks.SIGN_FOR, actor=actor)
    clocks.reassign(complaint, clocks.HANDLE, responsible=actor, actor=actor)
    notices.to_staff(
        complaint.first_receiver,
        complaint=complaint,
        subject=notices.text(N_("投诉 %(no)s 已由承办单位签收"), no=complaint.tracking_no),
        key=f"signed:{complaint.version}",
    )
    return complaint


def return_window_open(complaint: Complaint) -> bool:
    """退回 is possible until ``return_due_at`` (the policy's window from routing)."""
    return complaint.return_due_at is not None and steps.now() <= complaint.return_due_at


@transaction.atomic
def complaint_return(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Send a wrongly routed case back to the office, within the policy's return window."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "return")
    reason = steps.require_text(reason, field="reason", message=_("退回必须说明理由。"))
    steps.workflow.ensure_allowed("return", complaint)
    if not return_window_open(complaint):
        raise ApplicationError(
            _("已超过退回期限（%(due)s），不能退回，请继续办理或申请延期。")
            % {"due": timezone.localtime(complaint.return_due_at).strftime("%Y-%m-%d %H:%M")},
            code="return_window_passed",
            field="reason",
        )
    agency = complaint.handling_agency
    complaint = steps.move(
        complaint,
        action="return",
        actor=actor,
        note=reason,
        data={"agency": agency.pk},
        handling_agency=None,
        routing="",
        plan_routing="",
        routed_at=None,
        signed_at=None,
        return_due_at=None,
        responsible=complaint.first_receiver,  # back to the 首问负责人 until re-routed
    )
    clocks.stop(complaint, clocks.SIGN_FOR, actor=actor, cancel=True)
    clocks.stop(complaint, clocks.HANDLE, actor=actor, cancel=True)
    clocks.cancel_supervision_answers(complaint, actor=actor)
    notices.to_staff(
        complaint.first_receiver,
        complaint=complaint,
        subject=notices.text(
            N_("投诉 %(no)s 被%(agency)s退回：%(reason)s"),
            no=complaint.tracking_no,
            agency=agency.name,
            reason=reason,
        ),
        key=f"returned:{complaint.version}",
    )
    return complaint
