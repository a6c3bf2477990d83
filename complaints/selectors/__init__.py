"""Reads of complaints: for staff (scoped, ``cases``), and for the public (``public``).

    cases.py    who may see which complaint (the app's scoping rule), a case for a user,
                the case a citizen follows with number and code, timelines and rounds
    public.py   办理公开: answered cases by their anonymised public text, the step a case is at,
                the receipt of a filing already seen
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

__all__ = [
    "complaint_get_by_code",
    "complaint_get_for_user",
    "complaint_list_visible_to",
    "complaint_round",
    "complaint_rounds",
    "complaint_timeline_public",
    "complaint_timeline_staff",
    "complaint_visibility_q",
]
