"""效能问责: the ladder is data, every sanction has a source and an issuer, threshold rules
propose into a queue (once per subject and window), a person issues or dismisses, an appeal
is decided by someone other than the issuer, the ledger is visible to the person and their
unit head, and the 效能告诫书 prints."""

from __future__ import annotations

import pytest
from django.urls import reverse

from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from organizations.roles import Role
from supervision import services
from supervision.models import (
    FigureMonth,
    Sanction,
    SanctionKind,
    SanctionProposal,
    SourceType,
)
from tests.conftest import login, make_staff
from tests.supervision.conftest import submit

pytestmark = pytest.mark.django_db


def kind(code):
    return SanctionKind.objects.get(code=code)


@pytest.fixture
def person_a(clerk_a):
    return clerk_a.staff_profile


@pytest.fixture
def case_a(agency_a, attitude, centre):
    return submit(agency=agency_a, category=attitude).complaint


def issue(actor, agency, case, *, code="admonition_talk", person=None, **overrides):
    fields = {
        "actor": actor,
        "kind": kind(code),
        "agency": agency,
        "person": person,
        "source_type": SourceType.COMPLAINT,
        "source": case,
        "reason": "窗口人员服务态度恶劣，经查属实。",
        "document_no": "效告〔2026〕1号",
    }
    fields.update(overrides)
    return services.sanction_issue(**fields)


def test_a_sanction_without_a_source_or_issuer_is_refused(office_user, agency_a, case_a):
    with pytest.raises(ApplicationError, match="必须注明来源"):
        issue(office_user, agency_a, None)
    with pytest.raises(ApplicationError, match="必须由具名的工作人员"):
        issue(None, agency_a, case_a)
    with pytest.raises(ApplicationError, match="必须注明来源"):
        issue(office_user, agency_a, case_a, source_type="rumour")
    assert not Sanction.objects.exists()


def test_a_reference_only_kind_needs_the_external_decision(office_user, agency_a, case_a):
    with pytest.raises(ApplicationError, match="由有权机关决定"):
        issue(office_user, agency_a, case_a, code="disciplinary")
    sanction = issue(
        office_user, agency_a, case_a, code="disciplinary", reference_decision="监察委〔2026〕3号"
    )
    assert sanction.reference_decision == "监察委〔2026〕3号"


def test_a_person_of_another_agency_is_refused(office_user, agency_a, clerk_b, case_a):
    with pytest.raises(ApplicationError, match="不属于被问责单位"):
        issue(office_user, agency_a, case_a, person=clerk_b.staff_profile)


def test_only_the_office_issues(clerk_a, agency_a, case_a):
    with pytest.raises(ApplicationError, match="只有效能办"):
        issue(clerk_a, agency_a, case_a)


def test_three_admonitions_in_a_year_propose_an_efficiency_warning_once(
    office_user, agency_a, person_a, case_a
):
    for _ in range(2):
        issue(office_user, agency_a, case_a, person=person_a)
    assert not SanctionProposal.objects.exists()
    issue(office_user, agency_a, case_a, person=person_a)
    issue(office_user, agency_a, case_a, person=person_a)  # a fourth: still one proposal
    proposal = SanctionProposal.objects.get()
    assert proposal.rule.proposes.code == "efficiency_warning"
    assert (proposal.person, proposal.count) == (person_a, 3)
    sanction = services.proposal_issue(actor=office_user, proposal=proposal, reason="累计三次诫勉")
    assert sanction.kind.code == "efficiency_warning" and sanction.source_proposal == proposal
    with pytest.raises(ApplicationError, match="已处理"):
        services.proposal_dismiss(actor=office_user, proposal=proposal, reason="x")


def test_red_cards_in_a_month_propose_a_notice_of_criticism_however_often_evaluated(
    office_user, agency_a
):
    from django.utils import timezone

    FigureMonth.objects.create(
        agency=agency_a,
        indicator="timelimits.red_cards",
        part="complaint.handle",
        month=timezone.localdate().replace(day=1),
        numerator=3,
    )
    assert services.card_rules_evaluate() == 1
    assert services.card_rules_evaluate() == 0
    proposal = SanctionProposal.objects.get()
    assert proposal.agency == agency_a and proposal.person is None
    with pytest.raises(ApplicationError, match="不予采纳须说明理由"):
        services.proposal_dismiss(actor=office_user, proposal=proposal, reason="")
    services.proposal_dismiss(actor=office_user, proposal=proposal, reason="系统故障导致超时")
    assert AuditEvent.objects.filter(verb="sanction_proposal_dismiss").exists()


def test_an_appeal_is_decided_by_someone_other_than_the_issuer(
    office_user, office_b, agency_a, person_a, clerk_a, case_a
):
    sanction = issue(office_user, agency_a, case_a, person=person_a)
    with pytest.raises(ApplicationError, match="只有被问责人"):
        services.sanction_appeal(actor=office_b, sanction=sanction, reason="不服")
    appeal = services.sanction_appeal(actor=clerk_a, sanction=sanction, reason="当日系统故障")
    with pytest.raises(ApplicationError, match="已申诉过"):
        services.sanction_appeal(actor=clerk_a, sanction=sanction, reason="再次")
    with pytest.raises(ApplicationError, match="作出问责决定以外的人员"):
        services.appeal_decide(actor=office_user, appeal=appeal, revoke=True, note="撤销")
    services.appeal_decide(actor=office_b, appeal=appeal, revoke=True, note="情况属实，予以撤销")
    sanction.refresh_from_db()
    assert sanction.state == Sanction.State.REVOKED


def test_the_ledger_is_visible_to_the_person_and_the_unit_head_only(
    office_user, agency_a, person_a, clerk_a, case_a, agency_b
):
    sanction = issue(office_user, agency_a, case_a, person=person_a)
    url = reverse("supervision:sanction", args=[sanction.pk])
    head = make_staff(agency=agency_a, roles=[Role.UNIT_ADMIN], name="单位负责人")
    head.staff_profile.is_unit_head = True
    head.staff_profile.save()
    colleague = make_staff(agency=agency_a, roles=[Role.HANDLER])
    outsider = make_staff(agency=agency_b, roles=[Role.UNIT_ADMIN])
    assert login(clerk_a).get(url).status_code == 200
    assert login(head).get(url).status_code == 200
    assert login(colleague).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert (
        "效告〔2026〕1号"
        not in login(colleague).get(reverse("supervision:sanctions")).content.decode()
    )


def test_the_person_appeals_on_the_page_and_another_office_member_decides(
    office_user, office_b, agency_a, person_a, clerk_a, case_a
):
    sanction = issue(office_user, agency_a, case_a, person=person_a)
    url = reverse("supervision:sanction", args=[sanction.pk])
    assert login(clerk_a).post(url, {"appeal": "1", "reason": "有误"}).status_code == 302
    issuer_page = login(office_user).get(url).content.decode()
    assert 'name="decide"' not in issuer_page, "the issuer is not offered the decision"
    response = login(office_b).post(url, {"decide": "1", "result": "upheld", "note": "维持"})
    assert response.status_code == 302
    sanction.refresh_from_db()
    assert sanction.state == Sanction.State.UPHELD


def test_the_efficiency_warning_letter_is_a_pdf_with_the_document_number(
    office_user, agency_a, person_a, case_a
):
    sanction = issue(office_user, agency_a, case_a, person=person_a, code="efficiency_warning")
    from supervision.documents import warning_letter_html

    html = warning_letter_html(sanction=sanction)
    assert "效能告诫书" in html and "效告〔2026〕1号" in html and person_a.name in html
    response = login(office_user).get(reverse("supervision:warning_letter", args=[sanction.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other = issue(office_user, agency_a, case_a, code="reminder")
    assert (
        login(office_user).get(reverse("supervision:warning_letter", args=[other.pk])).status_code
        == 404
    )


def test_an_issued_ranking_outcome_with_a_ledger_kind_is_recorded_as_a_sanction(
    office_user, category
):
    import datetime as dt

    from django.utils import timezone

    from supervision import periods
    from supervision.models import OutcomeProposal
    from tests.conftest import make_agency

    agencies = [make_agency(name=f"排名{i}", category=category) for i in range(2)]
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for agency, met in zip(agencies, (9, 1), strict=True):
        FigureMonth.objects.create(
            agency=agency, indicator="complaints.handle_on_time", month=month,
            numerator=met, denominator=10,
        )  # fmt: skip
    scheme = services.scheme_create(
        actor=office_user,
        code="ledger-test",
        name="台账测试",
        period_kind="month",
        categories=[category],
        weights={"complaints.handle_on_time": 1},
        outcomes=[
            {"kind": "bottom", "count": 1, "label": "黄牌警告", "sanction_kind": "yellow_warning"}
        ],
    )
    ranking = services.ranking_compute(
        actor=office_user, scheme=scheme, period=periods.Period("month", month)
    )
    services.ranking_publish(actor=office_user, ranking=ranking)
    proposal = OutcomeProposal.objects.get()
    services.outcome_issue(actor=office_user, proposal=proposal)
    sanction = Sanction.objects.get()
    assert (sanction.kind.code, sanction.agency, sanction.source_outcome) == (
        "yellow_warning",
        agencies[1],
        proposal,
    )
