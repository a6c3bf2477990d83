"""Every write of supervision, by concept (keyword-only, one transaction, audited):

* indicators — ``indicator_setting_update`` (minimum sample, active)
* rankings — ``scheme_create`` → ``scheme_update`` (until published) / ``scheme_revise``
  (a new version); ``ranking_compute`` (a draft; again with a reason → a new version)
  → ``ranking_publish`` (frozen, the previous one superseded, outcomes proposed)
  → ``outcome_issue`` / ``outcome_dismiss``
* inspections — ``inspection_record`` (checklist, findings with photos; each finding opens a
  rectification with its clock) → ``rectification_answer`` (the agency, with evidence)
  → ``rectification_accept`` / ``rectification_return`` (the office; a return restarts the clock)
* sanctions — ``sanction_issue`` (source and issuer required; threshold rules then propose)
  → queue: ``proposal_issue`` / ``proposal_dismiss``; ``card_rules_evaluate`` (red cards in a
  month, run after each rollup refresh); ``sanction_appeal`` → ``appeal_decide`` (not the issuer)
* bulletins — ``bulletin_draft`` (once per period; the weekly job calls
  ``bulletin_draft_last_week``) → ``bulletin_edit`` → ``bulletin_publish``
"""

from supervision.services.bulletins import (
    bulletin_draft,
    bulletin_draft_last_week,
    bulletin_edit,
    bulletin_publish,
)
from supervision.services.indicators import indicator_setting_update
from supervision.services.inspections import (
    FindingSpec,
    checklist_item_save,
    inspection_record,
    rectification_accept,
    rectification_answer,
    rectification_return,
)
from supervision.services.rankings import (
    outcome_dismiss,
    outcome_issue,
    ranking_compute,
    ranking_publish,
    scheme_create,
    scheme_revise,
    scheme_update,
)
from supervision.services.sanctions import (
    appeal_decide,
    card_rules_evaluate,
    proposal_dismiss,
    proposal_issue,
    sanction_appeal,
    sanction_issue,
)

__all__ = [
    "FindingSpec",
    "appeal_decide",
    "bulletin_draft",
    "bulletin_draft_last_week",
    "bulletin_edit",
    "bulletin_publish",
    "card_rules_evaluate",
    "checklist_item_save",
    "indicator_setting_update",
    "inspection_record",
    "outcome_dismiss",
    "outcome_issue",
    "proposal_dismiss",
    "proposal_issue",
    "ranking_compute",
    "ranking_publish",
    "rectification_accept",
    "rectification_answer",
    "rectification_return",
    "sanction_appeal",
    "sanction_issue",
    "scheme_create",
    "scheme_revise",
    "scheme_update",
]
