"""The buttons on a complaint's admin page: each opens a small form and calls one service.

``ACTIONS`` maps a button to its form, who may press it (the office, the
handling agency, or a leader) and the service call. Which buttons show depends on
the case's state (the transition table), the user's role and the separation of
duties (``complaints.duties``: the proposer of a plan is not offered its approval,
the office gets the handling agency's buttons only on a case its own agency
handles); the services check all of it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import duties, replies, selectors, services, workflow
from complaints.admin import forms as f
from complaints.admin import reply
from complaints.admin import supervision as supervision_forms
from complaints.models import Complaint, ExtensionRequest
from complaints.services.handling import extension_used
from complaints.services.outcome import callback_first
from complaints.services.routing import return_window_open
from efficiency_portal.errors import ApplicationError

OFFICE, HANDLER, LEADER = "office", "handler", "leader"


@dataclass(frozen=True)
class Action:
    label: str
    form: type
    who: str
    run: Callable  # (complaint, user, cleaned_data) -> None
    transition: str  # the row in the transition table that says when it is available
    # What the form starts from, and what the page shows beside it (complaints.admin.reply).
    initial: Callable | None = None  # (complaint) -> dict
    context: Callable | None = None  # (request, complaint, form) -> dict


def _remedies(complaint: Complaint, data) -> list[services.RemedySpec]:
    """The finding's remedies (the conclude form's rows), each against the unit or a person."""
    return [
        services.RemedySpec(
            kind=row["kind"],
            against_agency=complaint.agency_accused,
            against_person=(row.get("person") or "").strip()
            if row.get("target") == f.RemedyRowForm.PERSON
            else "",
            amount=row.get("amount"),
            note=row.get("note") or "",
        )
        for row in data.get("remedies", ())
    ]


def _pending_extension(complaint: Complaint) -> ExtensionRequest:
    request = complaint.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
    if request is None:
        raise ApplicationError(_("没有待审批的延期申请。"), code="no_request")
    return request


def _merge_target(data) -> Complaint | None:
    return Complaint.objects.filter(tracking_no=data["target"].strip().upper()).first()


ACTIONS: dict[str, Action] = {
    "register": Action(
        _("登记受理"),
        f.NoteForm,
        OFFICE,
        lambda c, u, d: services.complaint_register(complaint=c, actor=u, note=d["note"]),
        "register",
    ),
    "reject": Action(
        pgettext_lazy("action", "不予受理"),
        f.ReasonForm,
        OFFICE,
        lambda c, u, d: services.complaint_reject(complaint=c, actor=u, reason=d["reason"]),
        "reject",
    ),
    "review_rejection": Action(
        _("审查否定报备"),
        f.DecisionForm,
        OFFICE,
        lambda c, u, d: services.complaint_review_rejection(
            complaint=c, actor=u, overturn=not d["approve"], note=d["note"]
        ),
        "overturn_rejection",
    ),
    "plan": Action(
        _("拟定办理方式"),
        f.PlanForm,
        OFFICE,
        lambda c, u, d: services.complaint_plan(
            complaint=c,
            actor=u,
            routing=d["routing"],
            agency=d["agency"],
            joint_agencies=list(d["joint_agencies"]),
            note=d["note"],
        ),
        "plan",
        f.plan_initial,
    ),
    "approve_plan": Action(
        _("审批办理方式"),
        f.DecisionForm,
        OFFICE,
        lambda c, u, d: services.complaint_plan_approve(
            complaint=c, actor=u, approve=d["approve"], note=d["note"]
        ),
        "approve_plan",
    ),
    "sign_for": Action(
        _("签收"),
        f.NoteForm,
        HANDLER,
        lambda c, u, d: services.complaint_sign_for(complaint=c, actor=u),
        "sign_for",
    ),
    "return": Action(
        _("退回（错转）"),
        f.ReasonForm,
        HANDLER,
        lambda c, u, d: services.complaint_return(complaint=c, actor=u, reason=d["reason"]),
        "return",
    ),
    "add_evidence": Action(
        _("上传证据"),
        f.EvidenceForm,
        HANDLER,
        lambda c, u, d: services.complaint_add_evidence(
            complaint=c, actor=u, files=d["files"], note=d["note"]
        ),
        "add_evidence",
    ),
    "request_extension": Action(
        _("申请延期"),
        f.ReasonForm,
        HANDLER,
        lambda c, u, d: services.complaint_request_extension(
            complaint=c, actor=u, reason=d["reason"]
        ),
        "request_extension",
    ),
    "decide_extension": Action(
        _("审批延期"),
        f.DecisionForm,
        OFFICE,
        lambda c, u, d: services.complaint_decide_extension(
            request=_pending_extension(c), actor=u, approve=d["approve"], note=d["note"]
        ),
        "decide_extension",
    ),
    "conclude": Action(
        _("办结"),
        f.ConcludeForm,
        HANDLER,
        lambda c, u, d: services.complaint_conclude(
            complaint=c,
            actor=u,
            outcome=d["outcome"],
            findings=d["findings"],
            remedies=_remedies(c, d),
        ),
        "conclude",
    ),
    "reply": Action(
        _("答复投诉人"),
        f.ReplyForm,
        HANDLER,
        reply.reply_run,
        "reply",
        initial=reply.reply_initial,
        context=reply.reply_context,
    ),
    "review_reply": Action(
        _("审核答复"),
        f.ReviewReplyForm,
        OFFICE,
        reply.review_run,
        "review_reply",
        context=reply.review_context,
    ),
    "callback": Action(
        _("回访"),
        f.CallbackForm,
        OFFICE,
        lambda c, u, d: services.complaint_callback(
            complaint=c, actor=u, satisfaction=d["satisfaction"], note=d["note"]
        ),
        "callback",
    ),
    "close": Action(
        _("归档"),
        f.NoteForm,
        OFFICE,
        lambda c, u, d: services.complaint_close(complaint=c, actor=u, note=d["note"]),
        "close",
    ),
    "supervise": Action(
        pgettext_lazy("action", "督办"),
        supervision_forms.SuperviseForm,
        OFFICE,
        lambda c, u, d: services.complaint_supervise(
            complaint=c,
            actor=u,
            instruction=d["instruction"],
            level=d["level"],
            recipient_person=d.get("recipient_person"),
        ),
        "supervise",
    ),
    "endorse": Action(
        _("领导批示"),
        f.EndorseForm,
        LEADER,
        lambda c, u, d: services.complaint_endorse(complaint=c, actor=u, text=d["text"]),
        "endorse",
    ),
    "answer_supervision": Action(
        _("答复督办"),
        supervision_forms.SupervisionAnswerForm,
        HANDLER,
        lambda c, u, d: services.complaint_supervision_answer(
            supervision=d["supervision"], actor=u, answer=d["answer"]
        ),
        "answer_supervision",
    ),
    "merge": Action(
        _("合并到…"),
        f.MergeForm,
        OFFICE,
        lambda c, u, d: services.complaint_merge(
            source=c, target=_merge_target(d), actor=u, reason=d["reason"]
        ),
        "merge",
    ),
    "unmerge": Action(
        _("撤销合并"),
        f.ReasonForm,
        OFFICE,
        lambda c, u, d: services.complaint_unmerge(complaint=c, actor=u, reason=d["reason"]),
        "unmerge",
    ),
}


def may_press(user, complaint: Complaint, name: str) -> bool:
    action = ACTIONS[name]
    if not workflow.allowed(action.transition, complaint.state):
        return False
    if name == "review_rejection" and not _rejection_pending(complaint):
        return False
    if name == "decide_extension" and not complaint.extensions.filter(status="pending").exists():
        return False
    if name == "approve_plan" and duties.is_own_plan(user, complaint):
        return False  # 拟办与审批分离: someone else approves
    if name == "supervise" and complaint.handling_agency_id is None:
        return False  # nobody to press before the case is routed
    if name == "answer_supervision":  # the recipient agency's handlers, never the office as such
        return bool(selectors.supervisions_answerable(user=user, complaint=complaint))
    if not still_possible(complaint, name):
        return False
    if action.who == HANDLER:
        return duties.may_act_as_handler(user, complaint)
    if action.who == LEADER:
        return (
            user.has_perm(duties.ENDORSE_PERM) and duties.pending_endorsement(complaint) is not None
        )
    return user.has_perm(duties.OFFICE_PERM)


def still_possible(complaint: Complaint, name: str) -> bool:
    """An action its service would refuse for what already happened is not offered: the
    one extension taken, the return window passed, a reply draft waiting (or none to
    review), a callback still owed before filing. Each asks the service's own rule."""
    if name == "request_extension":
        return not extension_used(complaint)
    if name == "return":
        return return_window_open(complaint)
    if name == "reply":
        return replies.pending_draft(complaint) is None
    if name == "review_reply":
        return replies.pending_draft(complaint) is not None
    if name == "close":
        return not callback_first(complaint)
    return True


def _rejection_pending(complaint: Complaint) -> bool:
    filing = getattr(complaint, "rejection", None)
    return filing is not None and filing.review == "pending"


def buttons_for(user, complaint: Complaint) -> list[tuple[str, str]]:
    return [(name, a.label) for name, a in ACTIONS.items() if may_press(user, complaint, name)]
