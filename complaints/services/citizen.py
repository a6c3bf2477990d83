"""The complainant's own steps after the reply: rate it (满意/基本满意/不满意, once a round)
and, when dissatisfied, ask once for the case to be handled again (重新办理).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import clocks, notices, steps
from complaints.models import ROUND_FIELDS, Complaint, HandlingRound
from efficiency_portal.errors import ApplicationError

S = Complaint.State


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: str, comment: str = "") -> Complaint:
    """The complainant rates the outcome (满意 / 基本满意 / 不满意), once; the caller checked the code."""
    if rating not in Complaint.Rating.values:
        raise ApplicationError(_("请选择评价。"), code="invalid", field="rating")
    complaint = steps.lock(complaint)
    steps.workflow.ensure_allowed("rate", complaint)
    if complaint.citizen_rating:  # once per round: a reopen starts a round without one
        raise ApplicationError(_("您已评价过该投诉。"), code="already_rated", field="rating")
    complaint = steps.move(
        complaint,
        action="rate",
        public=_("投诉人评价：%(rating)s。") % {"rating": Complaint.Rating(rating).label},
        data={"rating": rating},
        citizen_rating=rating,
        citizen_comment=comment.strip()[:500],
        rated_at=steps.now(),
    )
    if rating == Complaint.Rating.DISSATISFIED:
        notices.to_staff(
            complaint.first_receiver,
            complaint=complaint,
            subject=notices.text(
                N_("投诉人对投诉 %(no)s 的办理结果不满意"), no=complaint.tracking_no
            ),
            body=comment,
            key=f"dissatisfied:{complaint.version}",
        )
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str = "", actor=None) -> Complaint:
    """On 不满意, the complainant (or the office for them) may have the case handled again, once.

    1. refuse unless the complainant rated this round 不满意 and the case was never reopened;
    2. cancel the reply and callback clocks;
    3. move the case back to handling as round ``round_no + 1``, its round fields cleared;
    4. keep the round that ends, as it was, in a ``HandlingRound`` row;
    5. start a new handling clock and tell the responsible clerk.
    """
    complaint = steps.lock(complaint)
    steps.workflow.ensure_allowed("reopen", complaint)
    if complaint.reopened_at is not None:
        raise ApplicationError(
            _("每件投诉只能申请重新办理一次。"), code="reopen_once", field="reason"
        )
    if complaint.citizen_rating != Complaint.Rating.DISSATISFIED:
        raise ApplicationError(
            _("只有评价为“不满意”时才能申请重新办理。"), code="not_dissatisfied", field="reason"
        )
    reason = (reason or "").strip()
    for kind in (clocks.REPLY, clocks.CALLBACK):
        clocks.stop(complaint, kind, actor=actor, cancel=True)
    ended = {name: getattr(complaint, name) for name in ROUND_FIELDS}
    ended_no, now = complaint.round_no, steps.now()
    complaint = steps.move(
        complaint,
        action="reopen",
        actor=actor,
        public=_("已按您的要求重新办理。"),
        note=reason,
        data={"round": ended_no + 1},
        reopened_at=now,
        round_no=ended_no + 1,
        **{name: Complaint._meta.get_field(name).get_default() for name in ROUND_FIELDS},
    )
    HandlingRound.objects.create(
        complaint=complaint,
        number=ended_no,
        reopened_at=now,
        reopened_by=actor if actor is not None and actor.is_authenticated else None,
        reopen_reason=reason,
        **ended,
    )
    clocks.start(
        complaint,
        clocks.HANDLE,
        agency=complaint.handling_agency,
        responsible=complaint.responsible,
    )
    notices.to_staff(
        complaint.responsible,
        complaint=complaint,
        subject=notices.text(N_("投诉 %(no)s 因投诉人不满意重新办理"), no=complaint.tracking_no),
        body=reason,
        key="reopened",
    )
    return complaint
