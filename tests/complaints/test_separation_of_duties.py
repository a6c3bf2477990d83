"""Separation of duties (职责分离): the proposer of a plan does not approve it, the office does not
press the handling agency's buttons on a case it does not handle, cases a rule names wait for a
leader's 批示 before 归档 — each refused by the service and not offered as a button; switching the
policy off restores the old behaviour."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import selectors, services
from complaints.models import (
    Complaint,
    ComplaintEvent,
    DutyPolicy,
    Endorsement,
    EndorsementRule,
    SupervisionLevel,
)
from complaints.services import duties as services_duties
from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from tests.complaints.conftest import answer
from tests.conftest import login

S = Complaint.State


def change_url(c):
    return reverse("admin:complaints_complaint_change", args=[c.pk])


def act_url(c, name):
    return reverse("admin:complaints_complaint_act", args=[c.pk, name])


def buttons(user, c) -> str:
    return login(user).get(change_url(c)).content.decode()


@pytest.fixture
def planned(new_complaint, office_user, agency_a, walk):
    c = walk(new_complaint, S.REGISTERED)
    return services.complaint_plan(
        complaint=c, actor=office_user, routing=Complaint.Routing.TRANSFER, agency=agency_a
    )


def _conclude_with_sanction(c, clerk):
    return services.complaint_conclude(
        complaint=c,
        actor=clerk,
        outcome=Complaint.Outcome.FOUNDED,
        findings="经核实，窗口人员确有推诿。",
        remedies=[
            services.RemedySpec(
                kind="notice_criticism", against_agency=c.handling_agency, against_person="李某"
            )
        ],
    )


def _policy_off(**switches):
    services_duties.duty_policy_update(actor=None, **switches)


# --- 拟办与审批分离 ------------------------------------------------------------------------


def test_the_proposer_cannot_approve_or_send_back_their_own_plan(planned, office_user, office_b):
    message = "拟办人不能审批本人拟定的办理方式，请由效能办其他工作人员审批。"
    for approve in (True, False):
        with pytest.raises(ApplicationError) as exc:
            services.complaint_plan_approve(complaint=planned, actor=office_user, approve=approve)
        assert exc.value.message == message and exc.value.code == "own_plan"
    assert Complaint.objects.get(pk=planned.pk).state == S.PLANNED
    c = services.complaint_plan_approve(complaint=planned, actor=office_b)
    assert c.state == S.ROUTED


def test_the_proposer_is_not_offered_the_approval_button(planned, office_user, office_b):
    assert 'data-action="approve_plan"' not in buttons(office_user, planned)
    assert 'data-action="approve_plan"' in buttons(office_b, planned)
    response = login(office_b).post(act_url(planned, "approve_plan"), {"approve": "1"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=planned.pk).state == S.ROUTED


def test_the_proposer_posting_the_approval_form_gets_404(planned, office_user):
    response = login(office_user).post(act_url(planned, "approve_plan"), {"approve": "1"})
    assert response.status_code == 404
    assert Complaint.objects.get(pk=planned.pk).state == S.PLANNED


# --- 承办单位的操作 ------------------------------------------------------------------------


def test_the_office_gets_no_handler_buttons_on_another_agencys_case(
    new_complaint, office_user, clerk_a, walk
):
    c = walk(new_complaint, S.ROUTED)
    page = buttons(office_user, c)
    for name in ("sign_for", "return"):
        assert f'data-action="{name}"' not in page
    assert 'data-action="supervise"' in page  # the office's own buttons stay
    assert login(office_user).post(act_url(c, "sign_for"), {}).status_code == 404
    assert 'data-action="sign_for"' in buttons(clerk_a, c)
    c = walk(c, S.HANDLING)
    page = buttons(office_user, c)
    for name in ("add_evidence", "request_extension", "conclude", "return"):
        assert f'data-action="{name}"' not in page


def test_the_office_service_refuses_when_the_office_is_not_the_handling_agency(
    new_complaint, office_user, walk
):
    c = walk(new_complaint, S.ROUTED)
    with pytest.raises(ApplicationError) as exc:
        services.complaint_sign_for(complaint=c, actor=office_user)
    assert exc.value.message == "只有承办单位的承办人员可以签收。"
    c = walk(c, S.HANDLING)
    with pytest.raises(ApplicationError, match="只有承办单位的承办人员可以办结。"):
        services.complaint_conclude(
            complaint=c, actor=office_user, outcome="unfounded", findings="代为办结"
        )
    with pytest.raises(ApplicationError, match="只有承办单位的承办人员可以申请延期。"):
        services.complaint_request_extension(complaint=c, actor=office_user, reason="代为申请")
    with pytest.raises(ApplicationError, match="只有承办单位的承办人员可以退回。"):
        services.complaint_return(complaint=c, actor=office_user, reason="代为退回")
    assert Complaint.objects.get(pk=c.pk).state == S.HANDLING


def test_the_office_can_when_its_own_agency_is_the_handling_agency(
    new_complaint, office_user, office_b, walk
):
    c = walk(new_complaint, S.REGISTERED)
    own = office_user.staff_profile.agency
    c = services.complaint_plan(
        complaint=c, actor=office_b, routing=Complaint.Routing.SELF, agency=own
    )
    c = services.complaint_plan_approve(complaint=c, actor=office_user)
    assert 'data-action="sign_for"' in buttons(office_user, c)
    assert 'data-action="sign_for"' not in buttons(office_b, c)  # another agency's office
    c = services.complaint_sign_for(complaint=c, actor=office_user)
    c = services.complaint_conclude(
        complaint=c, actor=office_user, outcome="unfounded", findings="自办核实，不成立。"
    )
    c = services.complaint_reply(complaint=c, actor=office_user, text="经核实，情况如下。")
    assert c.state == S.REPLIED


# --- 领导批示 -----------------------------------------------------------------------------


def test_an_upheld_complaint_with_a_sanction_waits_for_a_leaders_endorsement_before_closing(
    new_complaint, office_user, clerk_a, leader, walk
):
    c = _conclude_with_sanction(walk(new_complaint, S.HANDLING), clerk_a)
    pending = Endorsement.objects.get(complaint=c)
    assert pending.endorsed_at is None and pending.rules == ["upheld_with_sanction"]
    assert list(selectors.complaints_awaiting_endorsement(user=leader)) == [c]
    c = walk(c, S.CALLED_BACK)
    with pytest.raises(ApplicationError) as exc:
        services.complaint_close(complaint=c, actor=office_user)
    assert exc.value.message == "该投诉须经领导批示，批示后才能归档。"
    assert Complaint.objects.get(pk=c.pk).state == S.CALLED_BACK

    services.complaint_endorse(complaint=c, actor=leader, text="同意处理意见，举一反三。")
    assert not selectors.complaints_awaiting_endorsement(user=leader).exists()
    c = services.complaint_close(complaint=c, actor=office_user)
    assert c.state == S.CLOSED
    endorse = ComplaintEvent.objects.get(complaint=c, verb="endorse")
    assert (endorse.actor, endorse.internal_note) == (leader, "同意处理意见，举一反三。")
    assert ComplaintEvent.objects.filter(complaint=c, verb="endorsement_requested").count() == 1


def test_a_finding_without_a_sanction_does_not_go_to_a_leader(
    new_complaint, office_user, clerk_a, leader, walk
):
    c = walk(new_complaint, S.HANDLING)
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome="founded",
        findings="属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=c.handling_agency)],
    )
    assert not Endorsement.objects.filter(complaint=c).exists()
    assert walk(c, S.CLOSED).state == S.CLOSED


def test_only_a_leader_endorses_and_only_the_leader_gets_the_button(
    new_complaint, office_user, clerk_a, leader, walk
):
    c = _conclude_with_sanction(walk(new_complaint, S.HANDLING), clerk_a)
    for user in (office_user, clerk_a):
        with pytest.raises(ApplicationError, match="只有领导可以作出批示。"):
            services.complaint_endorse(complaint=c, actor=user, text="批示")
        assert 'data-action="endorse"' not in buttons(user, c)
    assert 'data-action="endorse"' in buttons(leader, c)
    with pytest.raises(ApplicationError, match="请填写批示内容。"):
        services.complaint_endorse(complaint=c, actor=leader, text=" ")
    done = login(leader).post(act_url(c, "endorse"), {"text": "请严肃处理。"})
    assert done.status_code == 302
    assert Endorsement.objects.get(complaint=c).leader == leader
    assert 'data-action="endorse"' not in buttons(leader, c)  # nothing left to endorse


def test_the_leaders_queue_is_a_list_filter_and_empty_for_others(
    new_complaint, office_user, clerk_a, leader, walk
):
    c = _conclude_with_sanction(walk(new_complaint, S.HANDLING), clerk_a)
    assert not selectors.complaints_awaiting_endorsement(user=office_user).exists()
    url = reverse("admin:complaints_complaint_changelist") + "?endorsement=pending"
    assert c.tracking_no in login(leader).get(url).content.decode()
    services.complaint_endorse(complaint=c, actor=leader, text="阅。")
    assert c.tracking_no not in login(leader).get(url).content.decode()


def test_a_listed_supervision_goes_to_a_leader_for_endorsement_by_the_seeded_rule(
    new_complaint, office_user, leader, walk
):
    rule = EndorsementRule.objects.get(code="listed_supervision")  # data, seeded by 0018
    assert rule.trigger == EndorsementRule.Trigger.SUPERVISION_LEVEL
    c = walk(new_complaint, S.HANDLING)
    general, listed = (SupervisionLevel.objects.get(code=code) for code in ("general", "listed"))
    services.complaint_supervise(
        complaint=c, actor=office_user, instruction="请报告。", level=general
    )
    assert not selectors.complaints_awaiting_endorsement(user=leader).exists()
    services.complaint_supervise(complaint=c, actor=office_user, instruction="挂牌。", level=listed)
    assert list(selectors.complaints_awaiting_endorsement(user=leader)) == [c]
    assert ComplaintEvent.objects.filter(complaint=c, verb="endorsement_requested").count() == 1


# --- the policy as data -------------------------------------------------------------------


def test_switching_the_policy_off_restores_one_office_member_doing_everything(
    new_complaint, office_user, office_b, agency_a, walk
):
    _policy_off(separate_plan_approval=False, office_not_handler=False, leader_endorsement=False)
    c = walk(new_complaint, S.REGISTERED)
    c = services.complaint_plan(
        complaint=c, actor=office_user, routing=Complaint.Routing.TRANSFER, agency=agency_a
    )
    assert 'data-action="approve_plan"' in buttons(office_user, c)
    c = services.complaint_plan_approve(complaint=c, actor=office_user)
    assert 'data-action="sign_for"' in buttons(office_user, c)
    c = services.complaint_sign_for(complaint=c, actor=office_user)
    c = _conclude_with_sanction(c, office_user)
    assert not Endorsement.objects.filter(complaint=c).exists()
    # Review before reply (its own rule table, not this policy) still has another member
    # approve the founded case's reply.
    c = answer(c, clerk=office_user, text="答复", reviewer=office_b)
    c = services.complaint_callback(complaint=c, actor=office_user, satisfaction="basic")
    assert services.complaint_close(complaint=c, actor=office_user).state == S.CLOSED


def test_the_policy_is_on_by_default_and_its_edits_are_audited(db):
    policy = DutyPolicy.objects.get()
    assert policy.separate_plan_approval and policy.office_not_handler
    assert policy.leader_endorsement
    _policy_off(office_not_handler=False)
    row = AuditEvent.objects.get(verb="complaints.duty_policy.update")
    assert row.data["changes"] == {"office_not_handler": [True, False]}
    with pytest.raises(ApplicationError, match="不能修改的字段：updated_at"):
        services_duties.duty_policy_update(actor=None, updated_at=None)


def test_a_rule_with_unknown_codes_is_refused(db):
    with pytest.raises(ApplicationError, match="请选择处理措施。"):
        services_duties.endorsement_rule_save(
            actor=None,
            rule=None,
            code="bad",
            name="坏规则",
            trigger="sanction",
            outcomes=["founded"],
            remedy_kinds=["beheading"],
        )
    rule = EndorsementRule.objects.get(code="upheld_with_sanction")
    services_duties.endorsement_rule_save(actor=None, rule=rule, is_active=False)
    assert AuditEvent.objects.get(verb="complaints.endorsement_rule.update").data["changes"] == {
        "is_active": [True, False]
    }


def test_the_policy_admin_saves_through_the_audited_service(db, admin_client):
    policy = DutyPolicy.objects.get()
    url = reverse("admin:complaints_dutypolicy_change", args=[policy.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"separate_plan_approval": "on", "office_not_handler": "on"})
    assert response.status_code == 302
    assert DutyPolicy.objects.get().leader_endorsement is False
    assert AuditEvent.objects.filter(verb="complaints.duty_policy.update").count() == 1


def test_the_office_reads_but_does_not_change_the_policy(db, office_user):
    policy = DutyPolicy.objects.get()
    url = reverse("admin:complaints_dutypolicy_change", args=[policy.pk])
    client = login(office_user)
    assert client.get(url).status_code == 200
    client.post(url, {"separate_plan_approval": "", "office_not_handler": ""})
    assert DutyPolicy.objects.get().separate_plan_approval is True
    assert not AuditEvent.objects.filter(verb="complaints.duty_policy.update").exists()
