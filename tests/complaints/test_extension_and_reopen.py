"""Extension once, approved by the office; supervision; rating and reopening once."""

from __future__ import annotations

import pytest

from complaints import clocks, services
from complaints.models import Complaint, ExtensionRequest, Supervision
from efficiency_portal.errors import ApplicationError
from timelimits import calendar
from timelimits.models import Deadline, Notification

S = Complaint.State


def test_an_approved_extension_adds_fifteen_working_days_once(
    new_complaint, clerk_a, office_user, walk
):
    c = walk(new_complaint, S.HANDLING)
    before = Deadline.objects.get(subject_id=c.pk, kind=clocks.HANDLE, state="running").due_at
    request = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="需现场核查")
    with pytest.raises(ApplicationError, match="每件投诉只能延期一次，已申请过延期。"):
        services.complaint_request_extension(complaint=c, actor=clerk_a, reason="再次申请")
    with pytest.raises(ApplicationError, match="只有效能办（投诉中心）可以审批延期。"):
        services.complaint_decide_extension(request=request, actor=clerk_a, approve=True)
    services.complaint_decide_extension(request=request, actor=office_user, approve=True)
    after = Deadline.objects.get(subject_id=c.pk, kind=clocks.HANDLE, state="running").due_at
    assert calendar.working_days_between(before, after) == 15
    with pytest.raises(ApplicationError, match="每件投诉只能延期一次，已申请过延期。"):
        services.complaint_request_extension(complaint=c, actor=clerk_a, reason="还要延期")


def test_a_refused_extension_may_be_asked_again(new_complaint, clerk_a, office_user, walk):
    c = walk(new_complaint, S.HANDLING)
    request = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="理由一")
    services.complaint_decide_extension(request=request, actor=office_user, approve=False)
    again = services.complaint_request_extension(complaint=c, actor=clerk_a, reason="补充理由")
    assert again.status == ExtensionRequest.Status.PENDING


def test_supervision_reaches_the_responsible_person(new_complaint, clerk_a, office_user, walk):
    c = walk(new_complaint, S.HANDLING)
    services.complaint_supervise(complaint=c, actor=office_user, instruction="请于明日前办结")
    assert Supervision.objects.filter(complaint=c).count() == 1
    assert Notification.objects.filter(recipient=clerk_a, subject__startswith="督办").exists()


def test_a_founded_complaint_needs_a_remedy(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.HANDLING)
    with pytest.raises(
        ApplicationError, match="投诉成立或部分成立时，须记录对单位或个人的处理措施。"
    ):
        services.complaint_conclude(
            complaint=c, actor=clerk_a, outcome=Complaint.Outcome.FOUNDED, findings="属实"
        )
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome=Complaint.Outcome.FOUNDED,
        findings="属实",
        remedies=[
            services.RemedySpec(
                kind="apology", against_agency=c.handling_agency, against_person="刘某"
            ),
            services.RemedySpec(kind="penalty", against_agency=c.handling_agency, amount=200),
        ],
    )
    assert sorted(c.remedies.values_list("kind", flat=True)) == ["apology", "penalty"]


def test_reopen_only_on_dissatisfaction_and_only_once(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.REPLIED)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.SATISFIED)
    with pytest.raises(ApplicationError, match="您已评价过该投诉。"):
        services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED)
    with pytest.raises(ApplicationError, match="只有评价为“不满意”时才能申请重新办理。"):
        services.complaint_reopen(complaint=c, reason="不满意")


def test_a_dissatisfied_complainant_reopens_once(new_complaint, clerk_a, walk):
    c = walk(new_complaint, S.REPLIED)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED, comment="没解决")
    c = services.complaint_reopen(complaint=c, reason="问题没有解决")
    assert c.state == S.HANDLING
    assert (
        Deadline.objects.filter(subject_id=c.pk, kind=clocks.HANDLE, state="running").count() == 1
    )
    c = services.complaint_conclude(
        complaint=c, actor=clerk_a, outcome=Complaint.Outcome.UNFOUNDED, findings="复查属实无误"
    )
    c = services.complaint_reply(complaint=c, actor=clerk_a, text="复查结果……")
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.DISSATISFIED)
    with pytest.raises(ApplicationError, match="每件投诉只能申请重新办理一次。"):
        services.complaint_reopen(complaint=c, reason="还是不满意")


def test_closing_needs_a_callback_unless_the_complainant_rated_or_cannot_be_reached(
    new_complaint, office_user, agency_a, attitude, walk
):
    from tests.complaints.conftest import submit

    c = walk(new_complaint, S.REPLIED)
    with pytest.raises(ApplicationError, match="请先回访投诉人并记录满意度，再归档。"):
        services.complaint_close(complaint=c, actor=office_user)
    c = services.complaint_rate(complaint=c, rating=Complaint.Rating.BASIC)
    assert services.complaint_close(complaint=c, actor=office_user).state == S.CLOSED
    unreachable = submit(
        agency=agency_a, category=attitude, anonymous=True, complainant_phone=""
    ).complaint
    unreachable = walk(unreachable, S.REPLIED)
    closed = services.complaint_close(complaint=unreachable, actor=office_user)
    assert closed.state == S.CLOSED
    assert not Deadline.objects.filter(subject_id=closed.pk, state="running").exists()
