"""The transition table: which action may happen in which state, and where it leads.

Services consult it before touching a row; an action not allowed in the current
state is refused with a message naming both. ``None`` as the target keeps the state.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from complaints.models import Complaint
from efficiency_portal.errors import ApplicationError

S = Complaint.State

# Open = someone still owes the complainant something; merge is allowed among these.
OPEN_STATES = frozenset({S.SUBMITTED, S.REGISTERED, S.PLANNED, S.ROUTED, S.HANDLING})
ANSWERED_STATES = frozenset({S.REPLIED, S.CALLED_BACK, S.CLOSED})

TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "register": (frozenset({S.SUBMITTED}), S.REGISTERED),
    "reject": (frozenset({S.SUBMITTED}), S.REJECTED),
    "overturn_rejection": (frozenset({S.REJECTED}), S.REGISTERED),
    "plan": (frozenset({S.REGISTERED, S.PLANNED}), S.PLANNED),
    "approve_plan": (frozenset({S.PLANNED}), S.ROUTED),
    "send_back_plan": (frozenset({S.PLANNED}), S.REGISTERED),
    "sign_for": (frozenset({S.ROUTED}), S.HANDLING),
    "return": (frozenset({S.ROUTED, S.HANDLING}), S.REGISTERED),
    "add_evidence": (frozenset({S.HANDLING}), None),
    "request_extension": (frozenset({S.HANDLING}), None),
    "decide_extension": (frozenset({S.HANDLING}), None),
    "conclude": (frozenset({S.HANDLING}), S.CONCLUDED),
    "reply": (frozenset({S.CONCLUDED}), S.REPLIED),
    # 答复审核: the office approves (then "reply" happens) or returns a waiting draft.
    "review_reply": (frozenset({S.CONCLUDED}), None),
    "callback": (frozenset({S.REPLIED}), S.CALLED_BACK),
    "close": (frozenset({S.REPLIED, S.CALLED_BACK}), S.CLOSED),  # REPLIED: see complaint_close
    "supervise": (frozenset({S.REGISTERED, S.PLANNED, S.ROUTED, S.HANDLING, S.CONCLUDED}), None),
    # The agency owes its written answer to a 督办 until it gives it, whatever the case does.
    "answer_supervision": (frozenset(S.values) - {S.SUBMITTED}, None),
    "rate": (ANSWERED_STATES, None),
    "reopen": (ANSWERED_STATES, S.HANDLING),
    "merge": (OPEN_STATES, S.MERGED),
    "unmerge": (frozenset({S.MERGED}), None),  # back to the state it had before the merge
    # 领导批示: a leader instructs on a case waiting for it (complaints.duties); 归档 waits.
    "endorse": (frozenset({S.HANDLING, S.CONCLUDED, S.REPLIED, S.CALLED_BACK}), None),
}

ACTION_NAMES = {
    "register": gettext_lazy("登记受理"),
    # Same Chinese as the state and the model name; the context gives the verb its own English.
    "reject": pgettext_lazy("action", "不予受理"),
    "overturn_rejection": gettext_lazy("撤销不予受理"),
    "plan": gettext_lazy("拟定办理方式"),
    "approve_plan": gettext_lazy("审批办理方式"),
    "send_back_plan": gettext_lazy("退回拟办"),
    "sign_for": gettext_lazy("签收"),
    "return": gettext_lazy("退回"),
    "add_evidence": gettext_lazy("上传证据"),
    "request_extension": gettext_lazy("申请延期"),
    "decide_extension": gettext_lazy("审批延期"),
    "conclude": gettext_lazy("办结"),
    "reply": gettext_lazy("答复投诉人"),
    "review_reply": gettext_lazy("审核答复"),
    # Timeline verbs of review before reply (events only, not transitions).
    "draft_reply": gettext_lazy("提交答复稿"),
    "return_reply": gettext_lazy("退回答复稿"),
    "callback": gettext_lazy("回访"),
    "close": gettext_lazy("归档"),
    "supervise": pgettext_lazy("action", "督办"),
    "answer_supervision": gettext_lazy("答复督办"),
    "rate": gettext_lazy("评价"),
    "reopen": gettext_lazy("重新办理"),
    "merge": gettext_lazy("合并"),
    "unmerge": gettext_lazy("撤销合并"),
    "endorse": gettext_lazy("领导批示"),
}


def allowed(action: str, state: str) -> bool:
    return state in TRANSITIONS[action][0]


def target(action: str, state: str) -> str:
    to_state = TRANSITIONS[action][1]
    return state if to_state is None else to_state


def ensure_allowed(action: str, complaint: Complaint) -> str:
    """The state ``action`` leads to from ``complaint.state``, or a refusal naming both."""
    if not allowed(action, complaint.state):
        raise ApplicationError(
            _("投诉 %(no)s 当前状态为“%(state)s”，不能%(action)s。")
            % {
                "no": complaint.tracking_no,
                "state": complaint.get_state_display(),
                "action": ACTION_NAMES[action],
            },
            code="illegal_transition",
            field="state",
        )
    return target(action, complaint.state)


def actions_available(state: str) -> list[str]:
    return [action for action, (sources, _to) in TRANSITIONS.items() if state in sources]
