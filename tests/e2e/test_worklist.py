"""A clerk's morning at 1366×768: log in → the worklist on the admin index → the full worklist →
a case with its clock; and the office's complaint list fits the screen without scrolling sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory
from organizations.roles import Role
from tests.complaints.conftest import submit
from tests.conftest import make_agency, make_staff
from timelimits.models import Deadline

PASSWORD = "pw-for-tests-2026"
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}
# Neither the page nor the result table (Django wraps it in a scrolling box) scrolls sideways.
NO_SIDEWAYS_SCROLL = """() => [document.documentElement, ...document.querySelectorAll('.results')]
    .every(box => box.scrollWidth <= box.clientWidth)"""


@pytest.fixture
def city(settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    centre = make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="XNB"
    )
    agency = make_agency(
        name="市市场监督管理局", category=AgencyCategory.objects.get(code="government")
    )
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="赵效能")
    approver = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="周审批")
    clerk = make_staff(agency=agency, roles=[Role.HANDLER], name="张承办")
    category = ComplaintCategory.objects.get(code="attitude")
    cases = []
    for n, title in enumerate(
        [
            "窗口人员态度恶劣，拒绝解释材料要求并多次推诿",
            "营业执照变更办理超过承诺时限仍未办结",
            "网上预约后到现场被告知系统故障需要重新排队",
            "投诉电话长期无人接听",
        ]
    ):
        c = submit(agency=agency, category=category, title=title).complaint
        c = services.complaint_register(complaint=c, actor=office)
        c = services.complaint_plan(
            complaint=c, actor=office, routing=Complaint.Routing.TRANSFER, agency=agency
        )
        c = services.complaint_plan_approve(complaint=c, actor=approver)
        if n:
            c = services.complaint_sign_for(complaint=c, actor=clerk)
        cases.append(c)
    # One case overdue by three days, so the red light and its countdown show.
    Deadline.objects.filter(subject_id=cases[1].pk, kind="complaint.handle").update(
        light="red", due_at=timezone.now() - dt.timedelta(days=3, hours=1)
    )
    return {"office": office, "clerk": clerk, "cases": cases}


def _log_in(page, url: str, user) -> None:
    page.goto(url)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_starts_on_the_worklist_and_opens_a_case(live_server, browser, city, artifacts):
    desk = browser.new_context(**LAPTOP)
    page = desk.new_page()
    _log_in(page, f"{live_server.url}/admin/", city["clerk"])

    # The admin index starts with the worklist: lights, tabs with counts, the most urgent first.
    summary = page.locator("#worklist")
    expect(summary).to_be_visible()
    expect(page.locator("#worklist-lights")).to_contain_text("红灯 1")
    expect(page.locator('#worklist-tabs a[data-queue="sign_for"]')).to_contain_text("1")
    expect(page.locator('#worklist-tabs a[data-queue="handling"]')).to_contain_text("3")
    page.screenshot(path=artifacts / "worklist-01-index.png", full_page=True)

    # The full worklist, on the 办理中 tab: the overdue case is first, with its countdown.
    page.locator('#worklist-tabs a[data-queue="handling"]').click()
    expect(page.locator("#worklist-handling")).to_be_visible()
    first = page.locator("#worklist-handling tbody tr").first
    expect(first).to_contain_text(city["cases"][1].tracking_no)
    expect(first).to_contain_text("超期 3 天")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=artifacts / "worklist-02-handling.png", full_page=True)

    # The case page shows its clock and the history of its clocks in words.
    first.get_by_role("link", name=city["cases"][1].tracking_no).click()
    clock = page.locator("#complaint-clock")
    expect(clock).to_contain_text("办理时限")
    expect(clock).to_contain_text("超期 3 天")
    expect(page.locator("#clock-history")).to_contain_text("开始计时：办理时限 15 个工作日")
    expect(page.locator("body")).not_to_contain_text("approve_plan")
    page.screenshot(path=artifacts / "worklist-03-case.png", full_page=True)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_offices_complaint_list_fits_a_1366_screen(live_server, browser, city, artifacts):
    desk = browser.new_context(**LAPTOP)
    page = desk.new_page()
    _log_in(page, f"{live_server.url}/admin/complaints/complaint/", city["office"])
    expect(page.locator("#result_list")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), page.evaluate(
        "() => [...document.querySelectorAll('.results')].map(b => [b.scrollWidth, b.clientWidth])"
    )
    page.screenshot(path=artifacts / "worklist-04-office-list.png", full_page=True)
    page.goto(f"{live_server.url}/admin/timelimits/deadline/")
    expect(page.locator("#result_list")).to_contain_text("办理时限")
    page.screenshot(path=artifacts / "worklist-05-deadlines.png", full_page=True)
