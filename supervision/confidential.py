"""Confidential fields of the supervision app (see efficiency_portal.privacy).

Declared — what an inspector or an agency writes or uploads that may name or show a
citizen, and what an appellant tells about themselves:

* the photos of a finding and the evidence of a rectification: the picture (a window
  with the people queuing at it, an ID card on the counter) and its file name as
  uploaded ("张三身份证.jpg"); the stored path is a random name, but it is the key to
  the file and no list needs it;
* the free text of an inspection (总体情况), of a checklist result (说明) and of a
  finding (问题描述): a 暗访 inspector writes what a citizen at the window said, often
  with who they were ("群众李某反映…");
* the agency's answer to a rectification (整改情况): "已向办事群众王某当面道歉";
* an appeal's reason (申诉理由): the appellant's own circumstances (health, family).

They are shown where a page shows them on purpose (the inspection and rectification
pages, to those ``supervision.selectors`` lets in; a bulletin draft copies a finding's
description for the office to edit before publishing) and nobody finds, sorts or exports
rows by them.

Not declared, by design — the person a sanction or a finding is about
(``Sanction.person``, ``SanctionProposal.person``, ``Finding.person``): 效能问责 is an
accountability record of an official act, shown to the office, to the person and to
their unit head (``supervision.selectors``), and the office lists and sorts the ledger
by person to apply the threshold rules ("three 诫勉 in a year"). Declaring them would
forbid exactly that (``privacy.E002``). What is private about that person — their phone
— is declared on ``organizations.StaffProfile`` and stays out of every lookup through
the relation (``person__phone``).
"""

CONFIDENTIAL = {
    "supervision.Inspection": ("note",),
    "supervision.InspectionCheck": ("note",),
    "supervision.Finding": ("description",),
    "supervision.FindingPhoto": ("file", "original_name"),
    "supervision.Rectification": ("answer",),
    "supervision.RectificationEvidence": ("file", "original_name"),
    "supervision.SanctionAppeal": ("reason",),
}
