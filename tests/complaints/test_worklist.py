"""待办 (worklist): my agency's cases by queue and not another's, no closed case, sorted by
due time, the office's own queues, the summary on the admin index, a flat query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from complaints.selectors.worklist import worklist_for
from organizations.roles import Role
from tests.complaints.conftest import approver_for, submit
from tests.conftest import login, make_staff
from timelimits.models import Deadline

S = Complaint.State
WORKLIST = reverse("admin:complaints_complaint_worklist")


def _counts(user) -> dict[str, int]:
    return {q.key: q.count for q in worklist_for(user=user).queues}


def _keys(worklist) -> list[str]:
    return [c.tracking_no for c in worklist.current.rows]


def test_the_worklist_shows_my_agencys_cases_and_not_another_agencys(
    new_complaint, walk, clerk_a, clerk_b
):
    c = walk(new_complaint, S.ROUTED)
    mine = worklist_for(user=clerk_a, queue="sign_for")
    assert _keys(mine) == [c.tracking_no] and _counts(clerk_a)["sign_for"] == 1
    assert mine.role == "handler"
    # The other agency's clerk: nothing, in the counts, the rows and the page.
    assert set(_counts(clerk_b).values()) == {0}
    page = login(clerk_b).get(WORKLIST + "?queue=sign_for").content.decode()
    assert c.tracking_no not in page
    assert c.tracking_no in login(clerk_a).get(WORKLIST + "?queue=sign_for").content.decode()


def test_the_accused_agency_does_not_get_a_case_another_agency_handles(
    agency_a, agency_b, attitude, centre, office_user, clerk_a, clerk_b
):
    c = submit(agency=agency_a, category=attitude).complaint
    services.complaint_register(complaint=c, actor=office_user)
    services.complaint_plan(
        complaint=c, actor=office_user, routing=Complaint.Routing.TRANSFER, agency=agency_b
    )
    services.complaint_plan_approve(complaint=c, actor=approver_for(office_user))
    assert _counts(clerk_b)["sign_for"] == 1
    assert _counts(clerk_a)["sign_for"] == 0  # it sees the case, but owes it nothing


def test_each_step_of_the_handling_agency_is_its_own_queue(
    agency_a, attitude, centre, walk, clerk_a
):
    cases = {
        state: walk(submit(agency=agency_a, category=attitude).complaint, state)
        for state in (S.ROUTED, S.HANDLING, S.CONCLUDED)
    }
    for key, state in (("sign_for", S.ROUTED), ("handling", S.HANDLING), ("reply", S.CONCLUDED)):
        assert _keys(worklist_for(user=clerk_a, queue=key)) == [cases[state].tracking_no]


def test_closed_cases_are_in_no_queue(new_complaint, walk, clerk_a, office_user):
    c = walk(new_complaint, S.CLOSED)
    for user in (clerk_a, office_user):
        assert set(_counts(user).values()) == {0}
        worklist = worklist_for(user=user)
        assert worklist.total == 0
        for queue in worklist.queues:
            assert c.tracking_no not in _keys(worklist_for(user=user, queue=queue.key))


def test_each_queue_is_sorted_by_due_time(agency_a, attitude, centre, walk, clerk_a):
    late, soon, later = (
        walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING) for _ in range(3)
    )
    now = timezone.now()
    for case, days in ((late, 9), (soon, 1), (later, 5)):
        Deadline.objects.filter(subject_id=case.pk, kind="complaint.handle").update(
            due_at=now + dt.timedelta(days=days)
        )
    rows = _keys(worklist_for(user=clerk_a, queue="handling"))
    assert rows == [soon.tracking_no, later.tracking_no, late.tracking_no]


def test_a_red_clock_puts_the_case_on_the_overdue_queue_and_in_the_red_count(
    new_complaint, walk, clerk_a
):
    c = walk(new_complaint, S.HANDLING)
    assert _counts(clerk_a)["overdue"] == 0
    Deadline.objects.filter(subject_id=c.pk, kind="complaint.handle").update(
        light="red", due_at=timezone.now() - dt.timedelta(days=4, hours=2)
    )
    worklist = worklist_for(user=clerk_a, queue="overdue")
    assert _keys(worklist) == [c.tracking_no]
    assert worklist.lights == {"red": 1, "yellow": 0, "green": 0}
    assert worklist.current.rows[0].countdown == "超期 4 天"
    page = login(clerk_a).get(WORKLIST + "?queue=overdue").content.decode()
    assert "超期 4 天" in page and "办理时限" in page


def test_a_supervised_case_is_on_the_supervision_queue(new_complaint, walk, clerk_a, office_user):
    c = walk(new_complaint, S.HANDLING)
    assert _counts(clerk_a)["supervised"] == 0
    services.complaint_supervise(complaint=c, actor=office_user, instruction="请加快办理")
    assert _keys(worklist_for(user=clerk_a, queue="supervised")) == [c.tracking_no]


def test_the_office_has_its_own_queues(agency_a, attitude, centre, walk, office_user, clerk_a):
    submitted = submit(agency=agency_a, category=attitude).complaint
    planned = walk(submit(agency=agency_a, category=attitude).complaint, S.PLANNED)
    handling = walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING)
    services.complaint_request_extension(complaint=handling, actor=clerk_a, reason="需现场核查")
    replied = walk(submit(agency=agency_a, category=attitude).complaint, S.REPLIED)
    rejected = submit(agency=agency_a, category=attitude).complaint
    services.complaint_reject(complaint=rejected, actor=office_user, reason="不属于效能投诉范围")
    expected = {
        "register": submitted,
        "approve": planned,
        "extension": handling,
        "callback": replied,
        "rejection": rejected,
    }
    worklist = worklist_for(user=office_user)
    assert worklist.role == "office"
    for key, case in expected.items():
        assert _keys(worklist_for(user=office_user, queue=key)) == [case.tracking_no], key
    # The clerk's queues are not the office's.
    assert "register" not in _counts(clerk_a)


def test_the_admin_index_shows_the_worklist_on_top(new_complaint, walk, clerk_a):
    c = walk(new_complaint, S.ROUTED)
    page = login(clerk_a).get(reverse("admin:index")).content.decode()
    assert 'id="worklist"' in page and c.tracking_no in page
    assert page.index('id="worklist"') < page.index('id="content-main"')
    assert "待签收" in page and "剩 " in page


def test_staff_who_cannot_read_complaints_get_no_worklist(agency_a):
    sysadmin = make_staff(agency=agency_a, roles=[Role.SYSADMIN])
    client = login(sysadmin)
    assert client.get(WORKLIST).status_code == 403
    assert 'id="worklist"' not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("queue", ["handling", "overdue"])
def test_the_worklist_costs_the_same_queries_for_one_case_or_many(
    agency_a, attitude, centre, walk, clerk_a, queue
):
    def cost() -> int:
        client = login(clerk_a)
        client.get(WORKLIST + f"?queue={queue}")  # warm the per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(WORKLIST + f"?queue={queue}").status_code == 200
        return len(captured)

    def add_case():
        case = walk(submit(agency=agency_a, category=attitude).complaint, S.HANDLING)
        Deadline.objects.filter(subject_id=case.pk).update(light="red")

    add_case()
    one = cost()
    for _ in range(5):
        add_case()
    assert cost() == one
