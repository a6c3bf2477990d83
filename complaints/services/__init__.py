"""The life of a complaint (效能投诉), top to bottom. Every state change is one function, in the
module of its step; import them all from here (``from complaints import services``).

intake.py           受理前
    complaint_submit            citizen, Open311 or API files (idempotent on a key) → submitted
registration.py     登记受理 / 否定报备
    complaint_register          office accepts; 首问负责人 recorded                → registered
    complaint_reject            office refuses with a reason, filed for review       → rejected
    complaint_review_rejection  another office member upholds or overturns it        → registered
routing.py          呈批 · 交办 · 签收 · 退回
    complaint_plan              office proposes 自办/转办/联办 and the agency         → planned
    complaint_plan_approve      office approves (→ routed) or sends the plan back    → routed / registered
    complaint_sign_for          handling agency signs for; responsibility passes     → handling
    complaint_return            agency returns a wrongly routed case (≤ 2 wd)        → registered
handling.py         办理
    complaint_add_evidence      handling agency uploads evidence                     (handling)
    complaint_request_extension handling agency asks for more time (once)            (handling)
    complaint_decide_extension  office approves or refuses the extension            (handling)
supervision.py      督办 (graded: 一般 / 重点 / 挂牌, levels as data)
    complaint_supervise         office presses the handling agency; answer clock starts (any open state)
    complaint_supervision_answer the agency's written answer; the clock stops        (any state)
    supervision_level_save      a level and its answer time limit (admin, audited)
outcome.py          办结 · 答复 · 回访 · 归档
    complaint_conclude          outcome 不成立/部分成立/成立 + remedies              → concluded
    complaint_reply             reply to the complainant (a draft where reviewed)    → replied
    complaint_reply_approve     office approves the draft; sent as a direct reply    → replied
    complaint_reply_return      office returns the draft with a note to revise       (concluded)
    complaint_callback          office calls back and records satisfaction (回访)    → called_back
    complaint_close             office files the case                                → closed
citizen.py          投诉人
    complaint_add_material      complainant adds text/files (补充材料); the handler told (any open state)
    complaint_rate              complainant rates 满意/基本满意/不满意 (once a round)  (replied…closed)
    complaint_reopen            on 不满意, once: back to the handling agency        → handling
merging.py          重复投诉
    complaint_merge / complaint_unmerge   duplicates into one case, and back       → merged / back
privacy (complaints.privacy)
    complaint_reveal_identity   open the full record with a reason, logged           (any state)
duties.py           职责分离: 拟办与审批分离, 承办单位的操作, 领导批示 (complaints.duties)
    complaint_endorse           a leader records the 批示 a case waits for (归档 waits)  (handling…called_back)
    duty_policy_update, endorsement_rule_save   its settings, edited in the admin, audited
configuration.py    the app's settings edited in the admin, audited
    category_save, public_policy_update, reply_review_rule_save

Each step: one transaction; the row locked and its state compared-and-set
(``complaints.steps``); the transition table (``complaints.workflow``) refuses
illegal moves; a timeline event; its clocks started, handed over and stopped on the
deadline engine (``complaints.clocks``); notices written to the outbox on commit
(``complaints.notices``). Reads live in ``complaints.selectors``.
"""

from complaints.privacy import complaint_reveal_identity
from complaints.services.citizen import complaint_add_material, complaint_rate, complaint_reopen
from complaints.services.duties import complaint_endorse
from complaints.services.handling import (
    complaint_add_evidence,
    complaint_decide_extension,
    complaint_request_extension,
)
from complaints.services.intake import Submitted, complaint_submit
from complaints.services.merging import complaint_merge, complaint_unmerge
from complaints.services.outcome import (
    RemedySpec,
    complaint_callback,
    complaint_close,
    complaint_conclude,
    complaint_reply,
    complaint_reply_approve,
    complaint_reply_return,
)
from complaints.services.registration import (
    complaint_register,
    complaint_reject,
    complaint_review_rejection,
)
from complaints.services.routing import (
    complaint_plan,
    complaint_plan_approve,
    complaint_return,
    complaint_sign_for,
)
from complaints.services.supervision import (
    complaint_supervise,
    complaint_supervision_answer,
    supervision_level_save,
)

__all__ = [
    "RemedySpec",
    "Submitted",
    "complaint_add_evidence",
    "complaint_add_material",
    "complaint_callback",
    "complaint_close",
    "complaint_conclude",
    "complaint_decide_extension",
    "complaint_endorse",
    "complaint_merge",
    "complaint_plan",
    "complaint_plan_approve",
    "complaint_rate",
    "complaint_register",
    "complaint_reject",
    "complaint_reopen",
    "complaint_reply",
    "complaint_reply_approve",
    "complaint_reply_return",
    "complaint_request_extension",
    "complaint_return",
    "complaint_reveal_identity",
    "complaint_review_rejection",
    "complaint_sign_for",
    "complaint_submit",
    "complaint_supervise",
    "complaint_supervision_answer",
    "complaint_unmerge",
    "supervision_level_save",
]
