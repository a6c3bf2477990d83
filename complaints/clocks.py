"""The complaint's clocks on the deadline engine (timelimits), one kind per step.

| kind                       | starts when              | stops when                       |
|----------------------------|--------------------------|----------------------------------|
| complaint.accept           | submitted                | registered or rejected           |
| complaint.sign_for         | plan approved (routed)   | signed for, or returned          |
| complaint.return_window    | plan approved (routed)   | no clock: its due time is previewed |
| complaint.handle           | plan approved (routed)   | concluded (extended once)        |
| complaint.reply            | concluded                | replied                          |
| complaint.callback         | replied                  | called back                      |
| complaint.supervision_answer | 督办 issued (subject: the Supervision row; category: its level) | answered in writing |

Limits, warnings and the extension allowance are policy rows of the engine;
this module holds no number. Urgent complaints use the policy category "urgent".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints.models import Complaint
from organizations.models import Agency
from timelimits import services as engine
from timelimits.models import Deadline

ACCEPT = "complaint.accept"
SIGN_FOR = "complaint.sign_for"
RETURN_WINDOW = "complaint.return_window"
HANDLE = "complaint.handle"
REPLY = "complaint.reply"
CALLBACK = "complaint.callback"
EXTENSION = "complaint.extension"
SUPERVISION_ANSWER = "complaint.supervision_answer"

URGENT_CATEGORY = "urgent"


def office_agency(complaint: Complaint) -> Agency:
    """The complaint centre that owns intake clocks; the accused agency if none is configured."""
    office = Agency.objects.filter(code=settings.COMPLAINTS_OFFICE_AGENCY_CODE).first()
    return office or complaint.agency_accused


def _category(complaint: Complaint) -> str | None:
    return URGENT_CATEGORY if complaint.is_urgent else None


def start(
    complaint: Complaint, kind: str, *, agency: Agency, responsible=None, actor=None, at=None
):
    return engine.deadline_start(
        subject=complaint,
        kind=kind,
        agency=agency,
        responsible=responsible,
        category=_category(complaint) if kind == HANDLE else None,
        started_at=at,
        actor=actor,
    )


def running(complaint: Complaint, kind: str) -> Deadline | None:
    deadline = engine.deadline_current(subject=complaint, kind=kind)
    if deadline is None or deadline.state not in engine.OPEN_STATES:
        return None
    return deadline


def stop(complaint: Complaint, kind: str, *, actor, cancel: bool = False, at=None) -> None:
    """Stop the running clock of ``kind`` if any: done (the engine says met or missed) or cancelled."""
    deadline = running(complaint, kind)
    if deadline is not None:
        engine.deadline_stop(
            deadline=deadline, outcome="cancelled" if cancel else "done", actor=actor, at=at
        )


def reassign(complaint: Complaint, kind: str, *, responsible, actor) -> None:
    """首问负责 hand-over: the running clock of ``kind`` (if any) now belongs to ``responsible``."""
    deadline = running(complaint, kind)
    if deadline is not None:
        engine.deadline_reassign(
            deadline=deadline, responsible=responsible, actor=actor, reason="首问负责移交"
        )


def stop_all(complaint: Complaint, *, actor) -> None:
    for kind in (ACCEPT, SIGN_FOR, RETURN_WINDOW, HANDLE, REPLY, CALLBACK):
        stop(complaint, kind, actor=actor, cancel=True)
    cancel_supervision_answers(complaint, actor=actor)


def cancel_supervision_answers(complaint: Complaint, *, actor) -> None:
    """The answer clocks of the case's unanswered 督办, cancelled: the agency pressed no longer
    handles it (returned, merged away) or the case is filed — nobody owes that answer now,
    so no red card and no escalation follow (the 督办 itself stays on record)."""
    for supervision in complaint.supervisions.filter(answered_at__isnull=True):
        deadline = engine.deadline_current(subject=supervision, kind=SUPERVISION_ANSWER)
        if deadline is not None and deadline.state in engine.OPEN_STATES:
            engine.deadline_stop(deadline=deadline, outcome="cancelled", actor=actor)


def window_end(kind: str, *, start: dt.datetime) -> dt.datetime:
    """When a policy window (e.g. the 2-working-day return window) opening at ``start`` closes.

    The window is a policy of the engine, so its length is data; no clock runs for it
    because nobody owes anything when a window passes unused.
    """
    return engine.deadline_preview(kind=kind, start=start)


def expected_completion(complaint: Complaint, *, accept_due: dt.datetime) -> dt.date:
    """The date promised at intake: the handling limit counted from the acceptance due time."""
    due = engine.deadline_preview(kind=HANDLE, category=_category(complaint), start=accept_due)
    return timezone.localtime(due).date()


def handling_policy(complaint: Complaint):
    return engine.policy_for(kind=HANDLE, category=_category(complaint))


def extend_handling(complaint: Complaint, *, approver, reason: str) -> Deadline:
    """Grant the handling clock the extension its policy allows (+15 working days by default)."""
    deadline = running(complaint, HANDLE)
    amount = handling_policy(complaint).extension_limit
    return engine.deadline_extend(
        deadline=deadline, amount=amount, approver=approver, reason=reason
    )


def due_at(complaint: Complaint, kind: str) -> dt.datetime | None:
    deadline = running(complaint, kind)
    return deadline.due_at if deadline else None


def handling_due(complaint: Complaint) -> dt.datetime | None:
    """The due time of the handling clock: the running one, else the last one (met or missed).

    The 转办单 prints it whether the case is still being handled or was printed afterwards."""
    deadline = engine.deadline_current(subject=complaint, kind=HANDLE)
    return deadline.due_at if deadline else None


def promised_completion(complaint: Complaint) -> dt.date:
    """The expected date the complainant was given at filing (the receipt, the 服务联系卡).

    Computed as at intake: the handling limit counted from the first acceptance clock's due
    time (the filing time for a case filed before it had one)."""
    subject_type = ContentType.objects.get_for_model(Complaint)
    accept = (
        Deadline.objects.filter(subject_type=subject_type, subject_id=complaint.pk, kind=ACCEPT)
        .order_by("started_at", "id")
        .first()
    )
    return expected_completion(
        complaint, accept_due=accept.due_at if accept else complaint.submitted_at
    )


def start_supervision_answer(supervision, *, responsible, actor) -> Deadline:
    """The recipient agency's clock for its written answer to a 督办, by the level's policy.

    The level's code is the policy category; a level without a policy of its own uses
    the kind's default (so a new level works before its limit is set).
    """
    return engine.deadline_start(
        subject=supervision,
        kind=SUPERVISION_ANSWER,
        agency=supervision.recipient_agency,
        responsible=responsible,
        category=supervision.level.code,
        started_at=supervision.issued_at,
        actor=actor,
    )


def stop_supervision_answer(supervision, *, actor, at=None) -> Deadline | None:
    """Stop the answer clock as done (met or missed against its due time), if it runs."""
    deadline = engine.deadline_current(subject=supervision, kind=SUPERVISION_ANSWER)
    if deadline is None or deadline.state not in engine.OPEN_STATES:
        return None
    return engine.deadline_stop(deadline=deadline, outcome="done", actor=actor, at=at)
