"""Reads of complaints: for staff (scoped, ``cases``), and for the public (``public``).

    cases.py    who may see which complaint (the app's scoping rule), a case for a user,
                the case a citizen follows with number and code, timelines and rounds
    duties.py   the cases waiting for a leader's 批示 (complaints_awaiting_endorsement)
    public.py   办理公开: answered cases by their anonymised public text, the step a case is at,
                the receipt of a filing already seen
    worklist.py 待办: the cases waiting on a user's action, by role and agency, with their
                clocks; ``complaint_supervised_q`` says what a 督办件 is
    clock.py    the case page's clock: the current step, its light and time left, the history
    supervision.py  督办: what awaits a written answer (督办件), who may answer, each one's clock
    complainant.py  the complainant's own follow page: their files and additions (补充材料),
                the remedies of each round worded for the public

Staff reads are re-exported here: ``from complaints import selectors``.
"""

from complaints.selectors.cases import (
    complaint_get_by_code,
    complaint_get_for_user,
    complaint_list_visible_to,
    complaint_round,
    complaint_rounds,
    complaint_timeline_public,
    complaint_timeline_staff,
    complaint_visibility_q,
)
from complaints.selectors.clock import complaint_clock_panel
from complaints.selectors.duties import complaints_awaiting_endorsement
from complaints.selectors.supervision import (
    supervision_may_answer,
    supervisions_answerable,
    supervisions_awaiting_answer,
)
from complaints.selectors.worklist import complaint_supervised_q, worklist_for

__all__ = [
    "complaint_clock_panel",
    "complaint_get_by_code",
    "complaint_get_for_user",
    "complaint_list_visible_to",
    "complaint_round",
    "complaint_rounds",
    "complaint_supervised_q",
    "complaint_timeline_public",
    "complaint_timeline_staff",
    "complaint_visibility_q",
    "complaints_awaiting_endorsement",
    "supervision_may_answer",
    "supervisions_answerable",
    "supervisions_awaiting_answer",
    "worklist_for",
]
