"""Registration (登记受理) or refusal (否定报备), and the review of a refusal by another office member."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from complaints import clocks, notices, steps
from complaints.models import (
    Complaint,
    RejectionFiling,
)
from efficiency_portal.errors import ApplicationError

S = Complaint.State


# --- 2. Registration (登记受理) or refusal (否定报备) ----------------------------------------


@transaction.atomic
def complaint_register(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """Accept the complaint. The registering staff member becomes its 首问负责人."""
    steps.require_office(actor, "register")
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="register",
        actor=actor,
        public=_("投诉中心已登记受理您的投诉。"),
        note=note,
        registered_at=steps.now(),
        first_receiver=complaint.first_receiver or actor,
        responsible=complaint.first_receiver or actor,
    )
    clocks.stop(complaint, clocks.ACCEPT, actor=actor)
    notices.to_complainant(
        complaint, message=_("您的投诉 %(no)s 已受理。") % {"no": complaint.tracking_no}
    )
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Refuse the complaint; the refusal and its reason are filed for the office's review."""
    steps.require_office(actor, "reject")
    reason = steps.require_text(reason, field="reason", message=_("不予受理必须说明理由。"))
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="reject",
        actor=actor,
        public=_("您的投诉不属于效能投诉受理范围：%(reason)s") % {"reason": reason},
        note=reason,
        first_receiver=complaint.first_receiver or actor,
    )
    RejectionFiling.objects.create(complaint=complaint, reason=reason, rejected_by=actor)
    clocks.stop(complaint, clocks.ACCEPT, actor=actor)
    notices.to_complainant(
        complaint,
        message=_("您的投诉 %(no)s 未予受理，理由：%(reason)s")
        % {"no": complaint.tracking_no, "reason": reason},
    )
    return complaint


@transaction.atomic
def complaint_review_rejection(
    *, complaint: Complaint, actor, overturn: bool, note: str = ""
) -> Complaint:
    """The office reviews a 否定报备: upheld stays rejected; overturned is registered after all."""
    steps.require_office(actor, "overturn_rejection")
    complaint = steps.lock(complaint)
    filing = RejectionFiling.objects.select_for_update().get(complaint=complaint)
    if filing.review != RejectionFiling.Review.PENDING:
        raise ApplicationError(_("该否定报备已审查。"), code="already_reviewed")
    if filing.rejected_by_id == actor.pk:
        raise ApplicationError(_("否定报备须由他人审查，不能审查自己的决定。"), code="own_decision")
    filing.review = RejectionFiling.Review.OVERTURNED if overturn else RejectionFiling.Review.UPHELD
    filing.reviewed_by, filing.reviewed_at, filing.review_note = actor, steps.now(), note
    filing.save()
    if not overturn:
        steps.event(complaint, verb="rejection_upheld", actor=actor, note=note)
        return complaint
    complaint = steps.move(
        complaint,
        action="overturn_rejection",
        actor=actor,
        public=_("经复核，您的投诉已予受理。"),
        note=note,
        registered_at=steps.now(),
        responsible=actor,
    )
    notices.to_complainant(
        complaint, message=_("经复核，您的投诉 %(no)s 已受理。") % {"no": complaint.tracking_no}
    )
    return complaint
