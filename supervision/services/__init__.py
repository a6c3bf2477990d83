"""Every write of supervision, by concept (keyword-only, one transaction, audited):

* indicators — ``indicator_setting_update`` (minimum sample, active)
* rankings — ``scheme_create`` → ``scheme_update`` (until published) / ``scheme_revise``
  (a new version); ``ranking_compute`` (a draft; again with a reason → a new version)
  → ``ranking_publish`` (frozen, the previous one superseded, outcomes proposed)
  → ``outcome_issue`` / ``outcome_dismiss``
"""

from supervision.services.indicators import indicator_setting_update
from supervision.services.rankings import (
    outcome_dismiss,
    outcome_issue,
    ranking_compute,
    ranking_publish,
    scheme_create,
    scheme_revise,
    scheme_update,
)

__all__ = [
    "indicator_setting_update",
    "outcome_dismiss",
    "outcome_issue",
    "ranking_compute",
    "ranking_publish",
    "scheme_create",
    "scheme_revise",
    "scheme_update",
]
