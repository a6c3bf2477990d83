"""Registration, refusal filed for review (否定报备), the plan, 首问负责, and the return window."""

from __future__ import annotations

import datetime as dt

import pytest

from complaints import clocks, services, steps
from complaints.models import Complaint, RejectionFiling
from efficiency_portal.errors import ApplicationError
from timelimits import calendar
from timelimits.models import Deadline, TimeLimitPolicy

S = Complaint.State


def test_a_rejection_needs_a_reason_and_is_filed_for_review(new_complaint, office_user):
    with pytest.raises(ApplicationError, match="不予受理必须说明理由。"):
        services.complaint_reject(complaint=new_complaint, actor=office_user, reason=" ")
    c = services.complaint_reject(
        complaint=new_complaint, actor=office_user, reason="属于信访事项，已告知信访渠道"
    )
    assert c.state == S.REJECTED
    filing = RejectionFiling.objects.get(complaint=c)
    assert (filing.review, filing.rejected_by) == (RejectionFiling.Review.PENDING, office_user)
    assert Deadline.objects.get(subject_id=c.pk, kind=clocks.ACCEPT).state == "met"


def test_a_rejection_is_reviewed_by_someone_else_and_can_be_overturned(
    new_complaint, office_user, office_b
):
    c = services.complaint_reject(
        complaint=new_complaint, actor=office_user, reason="不属于受理范围"
    )
    with pytest.raises(ApplicationError, match="否定报备须由他人审查，不能审查自己的决定。"):
        services.complaint_review_rejection(complaint=c, actor=office_user, overturn=True)
    c = services.complaint_review_rejection(
        complaint=c, actor=office_b, overturn=True, note="属于效能问题"
    )
    assert c.state == S.REGISTERED
    assert RejectionFiling.objects.get(complaint=c).review == RejectionFiling.Review.OVERTURNED


def test_the_first_receiver_stays_responsible_until_the_agency_signs_for(
    new_complaint, office_user, clerk_a, walk
):
    c = walk(new_complaint, S.ROUTED)
    assert c.first_receiver == office_user and c.responsible == office_user
    assert (
        Deadline.objects.get(subject_id=c.pk, kind=clocks.SIGN_FOR, state="running").responsible
        == office_user
    )
    c = services.complaint_sign_for(complaint=c, actor=clerk_a)
    c.refresh_from_db()
    assert c.first_receiver == office_user  # still on record
    assert c.responsible == clerk_a
    assert (
        Deadline.objects.get(subject_id=c.pk, kind=clocks.HANDLE, state="running").responsible
        == clerk_a
    )


def test_a_plan_can_be_sent_back_and_joint_handling_needs_partners(
    new_complaint, office_user, office_b, agency_a, walk
):
    c = walk(new_complaint, S.REGISTERED)
    with pytest.raises(ApplicationError, match="联办须指定至少一个协办单位。"):
        services.complaint_plan(
            complaint=c, actor=office_user, routing=Complaint.Routing.JOINT, agency=agency_a
        )
    c = services.complaint_plan(
        complaint=c, actor=office_user, routing=Complaint.Routing.TRANSFER, agency=agency_a
    )
    c = services.complaint_plan_approve(complaint=c, actor=office_b, approve=False, note="改为自办")
    assert c.state == S.REGISTERED and c.handling_agency is None


def test_the_return_window_is_two_working_days_from_the_policy(new_complaint, walk):
    c = walk(new_complaint, S.ROUTED)
    expected = calendar.closes_at(calendar.add_working_days(c.routed_at, 2))
    assert c.return_due_at == expected


def test_routing_previews_the_return_window_without_a_throwaway_clock(new_complaint, walk):
    c = walk(new_complaint, S.ROUTED)
    assert c.return_due_at is not None
    assert not Deadline.objects.filter(subject_id=c.pk, kind=clocks.RETURN_WINDOW).exists()
    assert not Deadline.objects.filter(subject_id=c.pk, state="cancelled").exists()


def test_the_return_window_follows_the_policy_row(new_complaint, walk):
    TimeLimitPolicy.objects.filter(kind=clocks.RETURN_WINDOW, category="").update(limit=4)
    c = walk(new_complaint, S.ROUTED)
    assert c.return_due_at == calendar.closes_at(calendar.add_working_days(c.routed_at, 4))


def test_a_wrongly_routed_case_is_returned_with_a_reason_to_the_first_receiver(
    new_complaint, office_user, clerk_a, walk
):
    c = walk(new_complaint, S.HANDLING)
    with pytest.raises(ApplicationError, match="退回必须说明理由。"):
        services.complaint_return(complaint=c, actor=clerk_a, reason="")
    c = services.complaint_return(
        complaint=c, actor=clerk_a, reason="不属于本单位职责，应由住建局办理"
    )
    assert c.state == S.REGISTERED
    assert c.handling_agency is None and c.responsible == office_user
    open_kinds = set(
        Deadline.objects.filter(subject_id=c.pk, state="running").values_list("kind", flat=True)
    )
    assert open_kinds == set()


def test_return_is_refused_after_two_working_days(new_complaint, clerk_a, walk, monkeypatch):
    c = walk(new_complaint, S.HANDLING)
    monkeypatch.setattr(steps, "now", lambda: c.return_due_at + dt.timedelta(minutes=1))
    with pytest.raises(ApplicationError) as exc:
        services.complaint_return(complaint=c, actor=clerk_a, reason="不属于本单位职责")
    due = c.return_due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert exc.value.message == f"已超过退回期限（{due}），不能退回，请继续办理或申请延期。"
    assert Complaint.objects.get(pk=c.pk).state == S.HANDLING


def test_a_stale_copy_cannot_overwrite_a_newer_change(new_complaint, office_user):
    stale = Complaint.objects.get(pk=new_complaint.pk)
    services.complaint_register(complaint=new_complaint, actor=office_user)
    with pytest.raises(ApplicationError) as exc:
        steps.move(stale, action="register", actor=office_user)
    assert exc.value.code == "conflict"
    assert exc.value.message == f"另一位工作人员刚刚处理了投诉 {stale.tracking_no}，请刷新后重试。"
