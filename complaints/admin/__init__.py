"""Complaints in the admin, by what staff do there (Django's autodiscovery imports this package).

    worklist.py       待办: the queues waiting on the user (also on top of the admin index)
    complaint.py      the case list and the case page: lights, the clock, timeline, documents,
                      one button per step (each a small form that calls a service)
    columns.py        the case list's narrow columns (fits 1366 px) and staff by name
    timeline.py       办理过程: the timeline in words (verbs, states, names)
    actions.py        which step buttons a user may press, and the forms behind them (forms.py)
    lists.py          the worklist's filters and the worst running clock per case
    configuration.py  complaint categories and 办理公开设置, edited through audited services
    duties.py         职责分离设置 and 领导批示规则 (audited services); the 待批示 list filter
    integration.py    接入账号: integration accounts, created, rotated and revoked by the office
    supervision.py    督办: the 督办 / 答复督办 forms, the case's 督办 list, 督办级别 and their limits

Every admin here is thin: querysets from ``complaints.selectors``, writes through
``complaints.services``.
"""

from complaints.admin import (  # noqa: F401  (register)
    complaint,
    configuration,
    duties,
    integration,
    supervision,
)
from complaints.admin.complaint import ComplaintAdmin

__all__ = ["ComplaintAdmin"]
