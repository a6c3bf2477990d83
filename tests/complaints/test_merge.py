"""Merging duplicates: a target is required, one transaction, history on both sides, undoable."""

from __future__ import annotations

from unittest import mock

import pytest

from complaints import clocks, services
from complaints.models import Complaint, ComplaintEvent
from efficiency_portal.errors import ApplicationError
from tests.complaints.conftest import submit
from timelimits.models import Deadline, Notification

S = Complaint.State


@pytest.fixture
def pair(agency_a, attitude, centre):
    a = submit(agency=agency_a, category=attitude, title="窗口态度差").complaint
    b = submit(agency=agency_a, category=attitude, title="窗口工作人员态度恶劣").complaint
    return a, b


def test_merging_needs_a_target(pair, office_user):
    source, _target = pair
    with pytest.raises(ApplicationError, match="合并必须指定目标投诉。"):
        services.complaint_merge(source=source, target=None, actor=office_user, reason="重复")


def test_a_merge_keeps_history_on_both_sides_and_informs_every_complainant(
    pair, office_user, django_capture_on_commit_callbacks
):
    source, target = pair
    with django_capture_on_commit_callbacks(execute=True):
        merged = services.complaint_merge(
            source=source, target=target, actor=office_user, reason="同一事项"
        )
    assert merged.state == S.MERGED and merged.merged_into == target
    assert ComplaintEvent.objects.filter(complaint=source, verb="merge").exists()
    assert ComplaintEvent.objects.filter(complaint=target, verb="merged_in").exists()
    informed = {
        int(key.split(":")[1])
        for key in Notification.objects.filter(
            to_phone="13912345678", body__contains="并"
        ).values_list("dedupe_key", flat=True)
    }
    assert informed == {source.pk, target.pk}
    assert not Deadline.objects.filter(subject_id=source.pk, state="running").exists()


def test_a_merge_that_fails_half_way_leaves_nothing(pair, office_user):
    source, target = pair
    with (
        mock.patch("complaints.services.merging.steps.event", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        services.complaint_merge(source=source, target=target, actor=office_user, reason="同一事项")
    source.refresh_from_db()
    assert source.state == S.SUBMITTED and source.merged_into is None
    assert Deadline.objects.filter(subject_id=source.pk, state="running").count() == 1


def test_complaints_merged_into_the_source_follow_it_to_the_target(
    pair, office_user, agency_a, attitude
):
    source, target = pair
    third = submit(agency=agency_a, category=attitude).complaint
    services.complaint_merge(source=third, target=source, actor=office_user, reason="重复")
    services.complaint_merge(source=source, target=target, actor=office_user, reason="重复")
    third.refresh_from_db()
    assert third.merged_into == target


def test_a_closed_case_is_not_a_merge_target(pair, office_user, walk):
    source, target = pair
    target = walk(target, S.CLOSED)
    with pytest.raises(ApplicationError, match="当前状态为“已办结”，不能作为合并目标。"):
        services.complaint_merge(source=source, target=target, actor=office_user, reason="重复")


def test_unmerge_restores_the_state_and_the_original_clock(pair, office_user):
    source, target = pair
    due_before = Deadline.objects.get(subject_id=source.pk, kind=clocks.ACCEPT).due_at
    services.complaint_merge(source=source, target=target, actor=office_user, reason="重复")
    back = services.complaint_unmerge(complaint=source, actor=office_user, reason="并非同一事项")
    assert back.state == S.SUBMITTED and back.merged_into is None
    running = Deadline.objects.get(subject_id=source.pk, kind=clocks.ACCEPT, state="running")
    assert running.due_at == due_before  # no free time gained by the detour
    assert ComplaintEvent.objects.filter(complaint=target, verb="unmerged_out").exists()


def test_a_merge_writes_an_event_on_every_complaint_it_touches(
    pair, office_user, agency_a, attitude
):
    source, target = pair
    follower = submit(agency=agency_a, category=attitude).complaint
    services.complaint_merge(source=follower, target=source, actor=office_user, reason="重复")
    rows_before = {row["id"]: row for row in Complaint.objects.values()}
    last_event = ComplaintEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    services.complaint_merge(source=source, target=target, actor=office_user, reason="同一事项")
    changed = {row["id"] for row in Complaint.objects.values() if row != rows_before[row["id"]]}
    with_event = set(
        ComplaintEvent.objects.filter(pk__gt=last_event).values_list("complaint_id", flat=True)
    )
    assert changed == {source.pk, follower.pk}  # the target's row is untouched …
    assert with_event == {source.pk, target.pk, follower.pk}  # … but its timeline says so
    follower.refresh_from_db()
    assert follower.merged_into == target
    assert follower.version == rows_before[follower.pk]["version"] + 1


def test_signing_for_hands_the_handling_clock_over_as_an_event(
    new_complaint, office_user, clerk_a, walk
):
    from timelimits.models import DeadlineEvent

    routed = walk(new_complaint, S.ROUTED)
    handle = Deadline.objects.get(subject_id=routed.pk, kind=clocks.HANDLE, state="running")
    assert handle.responsible == office_user  # 首问负责: the first receiver until signed for
    services.complaint_sign_for(complaint=routed, actor=clerk_a)
    handle.refresh_from_db()
    assert handle.responsible == clerk_a
    event = DeadlineEvent.objects.get(deadline=handle, type="reassign")
    assert event.actor == clerk_a
    assert (event.data["responsible_from"], event.data["responsible_to"]) == (
        office_user.pk,
        clerk_a.pk,
    )
