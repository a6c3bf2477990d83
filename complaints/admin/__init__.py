"""Complaints in the admin, by what staff do there (Django's autodiscovery imports this package).

    complaint.py      the worklist and the case page: lights, timeline, documents, one
                      button per step (each a small form that calls a service)
    actions.py        which step buttons a user may press, and the forms behind them (forms.py)
    lists.py          the worklist's filters and the worst running clock per case
    configuration.py  complaint categories and 办理公开设置, edited through audited services
    integration.py    接入账号: integration accounts, created, rotated and revoked by the office
    supervision.py    督办: the 督办 / 答复督办 forms, the case's 督办 list, 督办级别 and their limits

Every admin here is thin: querysets from ``complaints.selectors``, writes through
``complaints.services``.
"""

from complaints.admin import (  # noqa: F401  (register)
    complaint,
    configuration,
    integration,
    supervision,
)
from complaints.admin.complaint import ComplaintAdmin

__all__ = ["ComplaintAdmin"]
