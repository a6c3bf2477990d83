"""Merging duplicate complaints (合并) and undoing it.

A merge needs a target, runs in one transaction, writes an event on both
complaints, and tells every complainant concerned where their case is now
handled. Complaints already merged into the source follow it to the target, so
no chain of merges is ever left behind. Unmerging restores the state the
complaint had, restarts its clocks from their original start, and tells both sides.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from complaints import clocks, notices, steps
from complaints.models import Complaint
from efficiency_portal.errors import ApplicationError

S = Complaint.State


def _lock_pair(a: Complaint, b: Complaint) -> tuple[Complaint, Complaint]:
    # Always lock in id order, so two merges of the same pair cannot deadlock.
    first, second = sorted([a.pk, b.pk])
    locked = {pk: steps.lock(pk) for pk in (first, second)}
    return locked[a.pk], locked[b.pk]


@transaction.atomic
def complaint_merge(
    *, source: Complaint, target: Complaint | None, actor, reason: str
) -> Complaint:
    """Merge ``source`` into ``target``: the source is closed as merged and follows the target."""
    steps.require_office(actor, "merge")
    if target is None:
        raise ApplicationError(_("合并必须指定目标投诉。"), code="target_required", field="target")
    if target.pk == source.pk:
        raise ApplicationError(_("不能把投诉合并到它自己。"), code="same", field="target")
    reason = steps.require_text(reason, field="reason", message=_("请说明合并理由。"))
    source, target = _lock_pair(source, target)
    steps.workflow.ensure_allowed("merge", source)
    if target.state not in steps.workflow.OPEN_STATES:
        raise ApplicationError(
            _("目标投诉 %(no)s 当前状态为“%(state)s”，不能作为合并目标。")
            % {"no": target.tracking_no, "state": target.get_state_display()},
            code="target_closed",
            field="target",
        )
    clocks.stop_all(source, actor=actor)
    moved = list(Complaint.objects.select_for_update().filter(merged_into=source))
    # Followers change too: a new version (compare-and-set) and, below, an event each.
    Complaint.objects.filter(merged_into=source).update(
        merged_into=target, version=F("version") + 1
    )
    source = steps.move(
        source,
        action="merge",
        actor=actor,
        public=_("您的投诉与同类投诉 %(no)s 合并办理，办理进展请查看该编号。")
        % {"no": target.tracking_no},
        note=reason,
        data={"target": target.pk, "followers": [c.pk for c in moved]},
        merged_into=target,
        state_before_merge=source.state,
    )
    steps.event(
        target,
        verb="merged_in",
        actor=actor,
        public=_("同类投诉 %(no)s 已并入本投诉一并办理。") % {"no": source.tracking_no},
        note=reason,
        data={"source": source.pk, "followers": [c.pk for c in moved]},
    )
    for follower in moved:
        steps.event(
            follower,
            verb="merge_followed",
            actor=actor,
            public=_("合并目标变更为 %(no)s。") % {"no": target.tracking_no},
            data={"from": source.pk, "to": target.pk},
        )
    for informed in [source, *moved]:
        notices.to_complainant(
            informed,
            message=_("您的投诉 %(no)s 已与投诉 %(target)s 合并办理。")
            % {"no": informed.tracking_no, "target": target.tracking_no},
        )
    notices.to_complainant(
        target,
        message=_("另有同类投诉并入您的投诉 %(no)s 一并办理。") % {"no": target.tracking_no},
    )
    return source


def _restart_clocks(complaint: Complaint, *, actor) -> None:
    """The clocks a complaint in this state runs, from their original start (no free time gained)."""
    if complaint.state == S.SUBMITTED:
        clocks.start(
            complaint,
            clocks.ACCEPT,
            agency=clocks.office_agency(complaint),
            at=complaint.submitted_at,
            actor=actor,
        )
    elif complaint.state in (S.ROUTED, S.HANDLING):
        agency = complaint.handling_agency
        if complaint.state == S.ROUTED:
            clocks.start(
                complaint, clocks.SIGN_FOR, agency=agency, at=complaint.routed_at, actor=actor
            )
        clocks.start(
            complaint,
            clocks.HANDLE,
            agency=agency,
            responsible=complaint.responsible,
            at=complaint.reopened_at or complaint.routed_at,
            actor=actor,
        )


@transaction.atomic
def complaint_unmerge(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Undo a merge: the complaint goes back to the state it had, on its own."""
    steps.require_office(actor, "unmerge")
    reason = steps.require_text(reason, field="reason", message=_("请说明撤销合并的理由。"))
    current = Complaint.objects.get(pk=complaint.pk)
    steps.workflow.ensure_allowed("unmerge", current)
    complaint, target = _lock_pair(current, current.merged_into)
    steps.workflow.ensure_allowed("unmerge", complaint)  # again, now that the row is locked
    complaint = steps.move(
        complaint,
        action="unmerge",
        actor=actor,
        to_state=complaint.state_before_merge,
        public=_("已撤销与投诉 %(no)s 的合并，您的投诉单独办理。") % {"no": target.tracking_no},
        note=reason,
        data={"target": target.pk},
        merged_into=None,
        state_before_merge="",
    )
    steps.event(
        target,
        verb="unmerged_out",
        actor=actor,
        public=_("投诉 %(no)s 已撤销合并，单独办理。") % {"no": complaint.tracking_no},
        note=reason,
        data={"source": complaint.pk},
    )
    _restart_clocks(complaint, actor=actor)
    notices.to_complainant(
        complaint,
        message=_("您的投诉 %(no)s 已撤销合并，将单独办理。") % {"no": complaint.tracking_no},
    )
    return complaint
