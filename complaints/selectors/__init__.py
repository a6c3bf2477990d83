"""Reads of complaints: for staff (scoped, ``cases``), and for the public (``public``).

    cases.py    who may see which complaint (the app's scoping rule), a case for a user,
                the case a citizen follows with number and code, timelines and rounds
    public.py   办理公开: answered cases by their anonymised public text, the step a case is at,
                the receipt of a filing already seen
    supervision.py  督办: what awaits a written answer (督办件), who may answer, each one's clock

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
from complaints.selectors.supervision import (
    supervision_may_answer,
    supervisions_answerable,
    supervisions_awaiting_answer,
)

__all__ = [
    "complaint_get_by_code",
    "complaint_get_for_user",
    "complaint_list_visible_to",
    "complaint_round",
    "complaint_rounds",
    "complaint_timeline_public",
    "complaint_timeline_staff",
    "complaint_visibility_q",
    "supervision_may_answer",
    "supervisions_answerable",
    "supervisions_awaiting_answer",
]
