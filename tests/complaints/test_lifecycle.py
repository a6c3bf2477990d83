"""The happy path and the transition table: every step moves the state and runs its clocks."""

from __future__ import annotations

import pytest

from complaints import clocks, services
from complaints.models import Complaint, ComplaintEvent
from efficiency_portal.errors import ApplicationError
from timelimits.models import Deadline

S = Complaint.State


def kinds_running(complaint) -> set[str]:
    return set(
        Deadline.objects.filter(
            subject_id=complaint.pk, state__in=["running", "paused"]
        ).values_list("kind", flat=True)
    )


def test_a_complaint_walks_from_submission_to_close_with_its_clocks(new_complaint, walk):
    assert kinds_running(new_complaint) == {clocks.ACCEPT}
    c = walk(new_complaint, S.ROUTED)
    assert kinds_running(c) == {clocks.SIGN_FOR, clocks.HANDLE}
    c = walk(c, S.HANDLING)
    assert kinds_running(c) == {clocks.HANDLE}
    c = walk(c, S.CONCLUDED)
    assert kinds_running(c) == {clocks.REPLY}
    c = walk(c, S.REPLIED)
    assert kinds_running(c) == {clocks.CALLBACK}
    c = walk(c, S.CLOSED)
    assert kinds_running(c) == set()
    verbs = list(ComplaintEvent.objects.filter(complaint=c).values_list("verb", flat=True))
    assert verbs == [
        "submit",
        "register",
        "plan",
        "approve_plan",
        "sign_for",
        "conclude",
        "reply",
        "callback",
        "close",
    ]
    stopped = Deadline.objects.filter(subject_id=c.pk).exclude(kind=clocks.RETURN_WINDOW)
    assert set(stopped.values_list("state", flat=True)) == {"met"}


def test_an_illegal_transition_is_refused_with_the_state_named(new_complaint, office_user):
    with pytest.raises(ApplicationError) as exc:
        services.complaint_callback(
            complaint=new_complaint, actor=office_user, satisfaction="basic"
        )
    assert exc.value.message.endswith("当前状态为“待登记”，不能回访。")
    assert exc.value.code == "illegal_transition"


def test_closing_twice_is_refused(new_complaint, office_user, walk):
    c = walk(new_complaint, S.CLOSED)
    with pytest.raises(ApplicationError, match="当前状态为“已办结”，不能归档。"):
        services.complaint_close(complaint=c, actor=office_user)


def test_only_the_office_registers(new_complaint, clerk_a):
    with pytest.raises(ApplicationError) as exc:
        services.complaint_register(complaint=new_complaint, actor=clerk_a)
    assert exc.value.message == "只有效能办（投诉中心）可以登记受理。"


def test_another_agency_cannot_sign_for(new_complaint, clerk_b, walk):
    c = walk(new_complaint, S.ROUTED)
    with pytest.raises(ApplicationError) as exc:
        services.complaint_sign_for(complaint=c, actor=clerk_b)
    assert exc.value.message == "只有承办单位的承办人员可以签收。"
    assert Complaint.objects.get(pk=c.pk).state == S.ROUTED
