"""Outcome to close: the finding with its remedies, the reply, the callback, filing the case.

complaint_conclude   outcome 不成立/部分成立/成立 with remedies against unit and person → concluded
complaint_reply      the reply reaches the complainant                                → replied
complaint_callback   the office calls back and records satisfaction (回访)             → called_back
complaint_close      the office files the case                                        → closed

Each of these writes the complaint's current handling round (办理轮次, ``round_no``);
a reopen keeps the round that ends as a ``HandlingRound`` (complaints.models.rounds),
so its finding, reply and rating are never erased.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from complaints import clocks, duties, notices, publication, steps
from complaints.models import Complaint, Remedy
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency

S = Complaint.State


@dataclass(frozen=True)
class RemedySpec:
    """One remedy or sanction decided with the outcome."""

    kind: str
    against_agency: Agency
    against_person: str = ""
    amount: Decimal | None = None
    note: str = ""


@transaction.atomic
def complaint_conclude(
    *,
    complaint: Complaint,
    actor,
    outcome: str,
    findings: str,
    remedies: Sequence[RemedySpec] = (),
) -> Complaint:
    """Record what the investigation found. A founded complaint needs at least one remedy."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "conclude")
    if outcome not in Complaint.Outcome.values:
        raise ApplicationError(_("请选择核查结论。"), code="invalid", field="outcome")
    findings = steps.require_text(
        findings, field="findings", message=_("请填写核查情况。"), max_length=5000
    )
    if outcome != Complaint.Outcome.UNFOUNDED and not remedies:
        raise ApplicationError(
            _("投诉成立或部分成立时，须记录对单位或个人的处理措施。"),
            code="remedy_required",
            field="remedies",
        )
    for remedy in remedies:
        if remedy.kind not in Remedy.Kind.values:
            raise ApplicationError(_("未知的处理措施。"), code="invalid", field="remedies")
        if remedy.amount is not None and remedy.amount < 0:
            raise ApplicationError(_("金额不能为负数。"), code="invalid", field="remedies")
    complaint = steps.move(
        complaint,
        action="conclude",
        actor=actor,
        public=_("调查已完成，结论：%(outcome)s。") % {"outcome": Complaint.Outcome(outcome).label},
        note=findings,
        data={"outcome": outcome, "remedies": [r.kind for r in remedies]},
        outcome=outcome,
        findings=findings,
        concluded_at=steps.now(),
    )
    Remedy.objects.bulk_create(
        Remedy(
            complaint=complaint,
            round_no=complaint.round_no,
            kind=r.kind,
            against_agency=r.against_agency,
            against_person=r.against_person[:60],
            amount=r.amount,
            note=r.note[:300],
            recorded_by=actor,
        )
        for r in remedies
    )
    clocks.stop(complaint, clocks.HANDLE, actor=actor)
    clocks.start(complaint, clocks.REPLY, agency=complaint.handling_agency, responsible=actor)
    # 领导批示: a finding an EndorsementRule names (e.g. upheld with a sanction) waits for a leader.
    duties.request_endorsement(
        complaint, actor=actor, outcome=outcome, remedy_kinds=[r.kind for r in remedies]
    )
    return complaint


@transaction.atomic
def complaint_reply(*, complaint: Complaint, actor, text: str) -> Complaint:
    """Answer the complainant in plain words; the reply shows on the follow page."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "reply")
    text = steps.require_text(text, field="text", message=_("请填写答复内容。"), max_length=5000)
    complaint = steps.move(
        complaint,
        action="reply",
        actor=actor,
        public=_("承办单位已答复，请查看答复内容并评价。"),
        reply_text=text,
        replied_at=steps.now(),
        # Answered cases are published: the text as the public pages show and search it.
        **publication.public_text(complaint, reply=text),
    )
    clocks.stop(complaint, clocks.REPLY, actor=actor)
    clocks.start(
        complaint,
        clocks.CALLBACK,
        agency=clocks.office_agency(complaint),
        responsible=complaint.first_receiver,
    )
    notices.to_complainant(
        complaint,
        message=_("您的投诉 %(no)s 已答复，请凭编号和查询码查看并评价：%(url)s")
        % {"no": complaint.tracking_no, "url": notices.follow_url(complaint)},
    )
    return complaint


@transaction.atomic
def complaint_callback(
    *, complaint: Complaint, actor, satisfaction: str, note: str = ""
) -> Complaint:
    """回访: the office asks the complainant whether they are satisfied and records the answer."""
    steps.require_office(actor, "callback")
    if satisfaction not in Complaint.Rating.values:
        raise ApplicationError(_("请选择回访满意度。"), code="invalid", field="satisfaction")
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="callback",
        actor=actor,
        public=_("投诉中心已回访。"),
        note=note,
        data={"satisfaction": satisfaction},
        callback_rating=satisfaction,
    )
    clocks.stop(complaint, clocks.CALLBACK, actor=actor)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """File the case after the callback — or without one when the complainant already rated
    the outcome or left no way to be called back (an anonymous complaint without contact);
    never while a leader's 批示 is pending (complaints.duties)."""
    steps.require_office(actor, "close")
    complaint = steps.lock(complaint)
    duties.require_no_pending_endorsement(complaint)
    reachable = complaint.complainant_phone or complaint.complainant_email
    if complaint.state == S.REPLIED and reachable and not complaint.citizen_rating:
        raise ApplicationError(
            _("请先回访投诉人并记录满意度，再归档。"), code="callback_first", field="state"
        )
    complaint = steps.move(
        complaint,
        action="close",
        actor=actor,
        public=_("投诉已办结归档。"),
        note=note,
        closed_at=steps.now(),
    )
    clocks.stop(complaint, clocks.CALLBACK, actor=actor)
    return complaint
