"""The machinery every step of ``complaints.services`` shares.

* ``lock`` re-reads the complaint ``SELECT … FOR UPDATE``: a second member of staff
  acting on the same case waits here, then sees the state the first one left.
* ``move`` checks the transition table, then writes the new state with a
  compare-and-set on (state, version) — belt and braces: even a caller that forgot
  to lock cannot overwrite a change it did not see — and appends the timeline event.
* ``require_office`` / ``require_handler`` say who may act (the handler's side as
  ``complaints.duties``, the separation of duties, says).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import duties, workflow
from complaints.models import Complaint, ComplaintEvent
from efficiency_portal.errors import ApplicationError


def lock(complaint: Complaint | int) -> Complaint:
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("category", "agency_accused", "handling_agency")
            .get(pk=pk)
        )
    except Complaint.DoesNotExist:
        raise ApplicationError(_("投诉不存在。"), code="not_found") from None


def event(
    complaint: Complaint,
    *,
    verb: str,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    public: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        public_message=str(public)[:300],
        internal_note=note,
        data=data or {},
    )


def move(
    complaint: Complaint,
    *,
    action: str,
    actor=None,
    public: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    to_state: str | None = None,
    **fields: Any,
) -> Complaint:
    """Apply ``action`` to a locked ``complaint``: new state and ``fields``, one event."""
    old_state = complaint.state
    new_state = to_state or workflow.ensure_allowed(action, complaint)
    updated = Complaint.objects.filter(
        pk=complaint.pk, state=old_state, version=complaint.version
    ).update(state=new_state, version=F("version") + 1, **fields)
    if updated != 1:
        raise ApplicationError(
            _("另一位工作人员刚刚处理了投诉 %(no)s，请刷新后重试。")
            % {"no": complaint.tracking_no},
            code="conflict",
        )
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.state = new_state
    complaint.version += 1
    event(
        complaint,
        verb=action,
        actor=actor,
        from_state=old_state,
        to_state=new_state,
        public=public,
        note=note,
        data=data,
    )
    return complaint


def now():
    return timezone.now()


def require_office(actor, action: str) -> None:
    if actor is None or not actor.has_perm("complaints.office_complaint"):
        raise ApplicationError(
            _("只有效能办（投诉中心）可以%(action)s。") % {"action": workflow.ACTION_NAMES[action]},
            code="forbidden",
        )


def require_handler(actor, complaint: Complaint, action: str) -> None:
    """A member of the handling agency with the handler's permission; the office only as
    ``complaints.duties`` says (when its own agency handles the case, or the policy allows)."""
    if not duties.may_act_as_handler(actor, complaint):
        raise ApplicationError(
            _("只有承办单位的承办人员可以%(action)s。") % {"action": workflow.ACTION_NAMES[action]},
            code="forbidden",
        )


def require_text(value: str, *, field: str, message: str, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    if len(value) > max_length:
        raise ApplicationError(
            _("内容过长（最多 %(max)d 字）。") % {"max": max_length}, code="too_long", field=field
        )
    return value
