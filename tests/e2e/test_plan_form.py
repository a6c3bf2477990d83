"""Routing in a few clicks, in Chromium: the office opens the plan form (呈批), the accused agency
is already chosen, a co-handler for 联办 is found by typing (the admin's own select2 under the
site's CSP), and another office member — not the proposer — approves the plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory
from organizations.roles import Role
from tests.complaints.conftest import submit
from tests.conftest import make_agency, make_staff

PASSWORD = "pw-for-tests-2026"


def _log_in(context, url: str, user, errors: list[str]):
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    return page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_office_plans_joint_handling_with_search_and_another_member_approves(
    live_server, browser, artifacts, settings, tmp_path
):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    party = AgencyCategory.objects.get(code="party")
    government = AgencyCategory.objects.get(code="government")
    centre = make_agency(name="市效能投诉中心", category=party, code="XNB")
    accused = make_agency(name="市市场监督管理局", category=government)
    partner = make_agency(name="市住房和城乡建设局", category=government)
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="赵效能")
    approver = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="孙效能")
    complaint = submit(agency=accused, category=ComplaintCategory.objects.get(code="attitude"))
    complaint = complaint.complaint
    complaint = services.complaint_register(complaint=complaint, actor=office)

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page = _log_in(
        desk,
        f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/act/plan/",
        office,
        errors,
    )
    # The accused agency is chosen already, shown by select2 (not a plain select box).
    expect(page.locator("#select2-id_agency-container")).to_have_text(accused.name)
    page.get_by_label("联办", exact=True).check()
    partners = page.locator("#id_joint_agencies + span.select2")
    partners.click()
    partners.locator(".select2-search__field").fill("住房")
    expect(page.locator(".select2-results__option").first).to_have_text(partner.name)
    page.locator(".select2-results__option").first.click()
    page.fill("#id_note", "会同住建局联合调查。")
    page.screenshot(path=artifacts / "plan-form-joint.png", full_page=True)
    page.locator('input[type="submit"]').click()
    expect(page.locator(".messagelist")).to_contain_text("已完成")
    expect(page.locator('#complaint-actions a[data-action="approve_plan"]')).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e], errors

    complaint.refresh_from_db()
    assert complaint.plan_routing == Complaint.Routing.JOINT
    assert complaint.plan_agency == accused
    assert list(complaint.joint_agencies.all()) == [partner]

    other = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    review = _log_in(
        other,
        f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/",
        approver,
        errors,
    )
    review.locator('#complaint-actions a[data-action="approve_plan"]').click()
    review.select_option("#id_approve", "1")
    review.locator('input[type="submit"]').click()
    expect(review.locator(".messagelist")).to_contain_text("已完成")
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ROUTED and complaint.handling_agency == accused
    desk.close()
    other.close()
