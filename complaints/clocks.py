"""The complaint's clocks on the deadline engine (timelimits), one kind per step.

| kind                       | starts when              | stops when                       |
|----------------------------|--------------------------|----------------------------------|
| complaint.accept           | submitted                | registered or rejected           |
| complaint.sign_for         | plan approved (routed)   | signed for, or returned          |
| complaint.return_window    | plan approved (routed)   | no clock: its due time is previewed |
| complaint.handle           | plan approved (routed)   | concluded (extended once)        |
| complaint.reply            | concluded                | replied                          |
| complaint.callback         | replied                  | called back                      |

Limits, warnings and the extension allowance are policy rows of the engine;
this module holds no number. Urgent complaints use the policy category "urgent".
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaints import lookups
from complaints.models import Complaint
from organizations.models import Agency
from timelimits import services as engine
from timelimits import versions
from timelimits.models import Deadline

ACCEPT = "complaint.accept"
SIGN_FOR = "complaint.sign_for"
RETURN_WINDOW = "complaint.return_window"
HANDLE = "complaint.handle"
REPLY = "complaint.reply"
CALLBACK = "complaint.callback"
EXTENSION = "complaint.extension"

URGENT_CATEGORY = "urgent"


def office_agency(complaint: Complaint) -> Agency:
    """The complaint centre that owns intake clocks; the accused agency if none is configured."""
    return lookups.office_agency() or complaint.agency_accused


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


def draft(complaint: Complaint, kind: str, *, agency: Agency, at=None):
    """``start``'s clock and start event, unsaved, for a complaint being filed (one statement)."""
    return engine.deadline_draft(
        subject=complaint,
        kind=kind,
        agency=agency,
        category=_category(complaint) if kind == HANDLE else None,
        started_at=at,
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


# How far ahead a computed promise is checked (and then reused, per process): the
# expected date only ever moves forward with the submission time, so when the dates
# computed at t and at t + this span agree, every moment between has that date too.
PROMISE_REUSE_SECONDS = 60
_promises: dict[tuple, tuple[dt.datetime, dt.datetime, dt.date]] = {}


def expected_by_at(moment: dt.datetime, *, is_urgent: bool) -> dt.date:
    """The expected completion of a complaint submitted at ``moment`` (acceptance + handling).

    The same as counting both clocks from ``moment``, computed at most twice a minute
    per process and configuration: the intake path answers thousands of filings a
    minute with one date. The configuration versions are part of the key, so an edit
    of a policy or of the calendar is seen at once (callers inside
    ``versions.assumed()`` add ``versions.guard()`` to their write).
    """
    key = (versions.spelled(versions.fingerprint()), is_urgent)
    hit = _promises.get(key)
    if hit is not None and hit[0] <= moment <= hit[1]:
        return hit[2]
    promise = _expected_by(moment, is_urgent=is_urgent)
    until = moment + dt.timedelta(seconds=PROMISE_REUSE_SECONDS)
    if _expected_by(until, is_urgent=is_urgent) == promise:  # a step function: no step between
        if len(_promises) > 64:  # old configurations
            _promises.clear()
        _promises[key] = (moment, until, promise)
    return promise


def _expected_by(moment: dt.datetime, *, is_urgent: bool) -> dt.date:
    accept_due = engine.deadline_preview(kind=ACCEPT, start=moment)
    return expected_completion(Complaint(is_urgent=is_urgent), accept_due=accept_due)


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
