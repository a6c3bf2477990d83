"""Fixtures for complaint tests: the complaint centre, a category, and cases at each step."""

from __future__ import annotations

import itertools

import pytest

from complaints import services
from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory, StaffProfile
from tests.conftest import make_agency, make_staff

_keys = itertools.count(1)


@pytest.fixture
def centre(db):
    """投诉中心: the agency whose clocks cover intake (COMPLAINTS_OFFICE_AGENCY_CODE)."""
    return make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="P-XNB"
    )


@pytest.fixture
def attitude(db) -> ComplaintCategory:
    return ComplaintCategory.objects.get(code="attitude")


@pytest.fixture
def urgent_category(db) -> ComplaintCategory:
    return ComplaintCategory.objects.get(code="bribery")


@pytest.fixture
def office_b(db, centre):
    """A second member of the efficiency office (reviews the first one's decisions)."""
    from organizations.roles import Role

    return make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="孙效能")


def submit(*, agency, category, **overrides) -> services.Submitted:
    fields = {
        "category": category,
        "agency_accused": agency,
        "title": "窗口人员态度恶劣",
        "description": "2026年11月在办事大厅3号窗口办理营业执照时，工作人员拒绝解释材料要求。",
        "anonymous": False,
        "complainant_name": "王小明",
        "complainant_phone": "13912345678",
        "complainant_id_number": "110101199001011234",
        "submission_key": f"key-{next(_keys)}",
    }
    fields.update(overrides)
    return services.complaint_submit(**fields)


def approver_for(office):
    """Another member of ``office``'s agency with the office role: 拟办与审批分离 means the
    plan ``office`` proposes is approved by someone else (made once, then reused)."""
    from django.contrib.auth import get_user_model

    from organizations.roles import Role

    agency = office.staff_profile.agency
    other = (
        get_user_model()
        .objects.filter(staff_profile__agency=agency, groups__name=Role.EFFICIENCY_OFFICE)
        .exclude(pk=office.pk)
        .order_by("pk")
        .first()
    )
    return other or make_staff(agency=agency, roles=[Role.EFFICIENCY_OFFICE], name="周审批")


def answer(complaint: Complaint, *, clerk, text: str, reviewer=None) -> Complaint:
    """The handler replies; where the rule table has the office review it first (答复审核:
    founded and partly founded by default), an office member approves the draft."""
    from organizations.roles import Role

    c = services.complaint_reply(complaint=complaint, actor=clerk, text=text)
    if c.state != Complaint.State.CONCLUDED:
        return c
    if reviewer is None:
        profile = (
            StaffProfile.objects.filter(user__groups__name=Role.EFFICIENCY_OFFICE)
            .exclude(user=clerk)
            .first()
        )
        reviewer = (
            profile.user
            if profile
            else make_staff(
                agency=make_agency(
                    name="市效能办（审核）", category=AgencyCategory.objects.get(code="party")
                ),
                roles=[Role.EFFICIENCY_OFFICE],
                name="钱审核",
            )
        )
    return services.complaint_reply_approve(complaint=c, actor=reviewer)


def to_state(
    complaint: Complaint, state: str, *, office, clerk, agency, approver=None
) -> Complaint:
    """Walk a complaint along the happy path until it reaches ``state``.

    ``office`` registers and proposes the plan; ``approver`` (another office member,
    by default ``approver_for(office)``) approves it."""
    S = Complaint.State
    path = [
        (S.REGISTERED, lambda c: services.complaint_register(complaint=c, actor=office)),
        (
            S.PLANNED,
            lambda c: services.complaint_plan(
                complaint=c, actor=office, routing=Complaint.Routing.TRANSFER, agency=agency
            ),
        ),
        (
            S.ROUTED,
            lambda c: services.complaint_plan_approve(
                complaint=c, actor=approver or approver_for(office)
            ),
        ),
        (S.HANDLING, lambda c: services.complaint_sign_for(complaint=c, actor=clerk)),
        (
            S.CONCLUDED,
            lambda c: services.complaint_conclude(
                complaint=c,
                actor=clerk,
                outcome=Complaint.Outcome.UNFOUNDED,
                findings="经调取监控核实，工作人员已按规定一次性告知。",
            ),
        ),
        (
            S.REPLIED,
            lambda c: answer(
                c,
                clerk=clerk,
                text="经核实，情况如下……",
                reviewer=None if office == clerk else office,
            ),
        ),
        (
            S.CALLED_BACK,
            lambda c: services.complaint_callback(
                complaint=c, actor=office, satisfaction=Complaint.Rating.BASIC
            ),
        ),
        (S.CLOSED, lambda c: services.complaint_close(complaint=c, actor=office)),
    ]
    order = [S.SUBMITTED] + [step_state for step_state, _step in path]
    for step_state, step in path:
        if complaint.state == state:
            break
        if order.index(step_state) <= order.index(complaint.state):
            continue
        complaint = step(complaint)
        assert complaint.state == step_state
    return complaint


@pytest.fixture
def walk(office_user, clerk_a, agency_a, centre):
    def _walk(complaint, state):
        return to_state(complaint, state, office=office_user, clerk=clerk_a, agency=agency_a)

    return _walk


@pytest.fixture
def new_complaint(agency_a, attitude, centre):
    return submit(agency=agency_a, category=attitude).complaint


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Attachments written by tests go to a temporary directory, never under ./var."""
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
