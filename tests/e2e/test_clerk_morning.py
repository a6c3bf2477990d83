"""A clerk's morning, screen by screen (issue 13's "done when"):

log in → the worklist → sign for → ask for an extension → conclude and reply, which is kept as
a draft (a founded complaint is reviewed) → another office member approves it from the office's
worklist → the citizen reads the reply on a phone and rates it. Screenshots of each screen land
in test-artifacts/e2e/morning-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint, ComplaintCategory, ExtensionRequest, ReplyDraft
from organizations.models import AgencyCategory
from organizations.roles import Role
from tests.complaints.conftest import submit
from tests.conftest import make_agency, make_staff

PASSWORD = "pw-for-tests-2026"
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}
REPLY = "经调取窗口录像核实，工作人员未一次性告知所需材料，已责令其书面检查并向您道歉。"


@pytest.fixture
def morning(settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    centre = make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="XNB"
    )
    agency = make_agency(
        name="市市场监督管理局", category=AgencyCategory.objects.get(code="government")
    )
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="赵效能")
    reviewer = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="周审核")
    clerk = make_staff(agency=agency, roles=[Role.HANDLER], name="张承办")
    filed = submit(
        agency=agency,
        category=ComplaintCategory.objects.get(code="attitude"),
        title="办营业执照被三次要求补材料",
        description="11月20日在政务大厅3号窗口办理营业执照，窗口人员三次让我补材料，每次说法不同。",
    )
    c = services.complaint_register(complaint=filed.complaint, actor=office)
    c = services.complaint_plan(
        complaint=c, actor=office, routing=Complaint.Routing.TRANSFER, agency=agency
    )
    c = services.complaint_plan_approve(complaint=c, actor=reviewer)  # 拟办与审批分离
    return {
        "case": c,
        "query_code": filed.query_code,
        "clerk": clerk,
        "reviewer": reviewer,
    }


def _log_in(page, url: str, user) -> None:
    page.goto(url)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()


def _press(page, name: str, fill, shot) -> None:
    """A button on the case page: its form filled, screenshotted, submitted, confirmed."""
    page.locator(f'#complaint-actions a[data-action="{name}"]').click()
    fill(page)
    page.screenshot(path=shot, full_page=True)
    page.locator('.submit-row input[type="submit"]:not([name="_preview"])').first.click()
    expect(page.locator(".messagelist")).to_contain_text("已完成")


def _conclude(page) -> None:
    page.select_option("#id_outcome", "founded")
    page.fill("#id_findings", "经调取录像核实，窗口人员未履行一次性告知义务，情况属实。")
    page.select_option("#id_remedy-0-kind", "self_criticism")
    page.select_option("#id_remedy-0-target", "person")
    page.fill("#id_remedy-0-person", "刘窗口")
    page.select_option("#id_remedy-1-kind", "apology")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerks_morning_from_the_worklist_to_the_citizens_rating(
    live_server, browser, morning, artifacts
):
    case = morning["case"]
    shot = lambda name: artifacts / f"morning-{name}.png"  # noqa: E731

    # 1. The clerk logs in and lands on the worklist: the new case waits to be signed for.
    desk = browser.new_context(**LAPTOP)
    page = desk.new_page()
    _log_in(page, f"{live_server.url}/admin/", morning["clerk"])
    expect(page.locator("#worklist")).to_be_visible()
    expect(page.locator('#worklist-tabs a[data-queue="sign_for"]')).to_contain_text("1")
    page.screenshot(path=shot("01-worklist"), full_page=True)
    page.locator('#worklist-tabs a[data-queue="sign_for"]').click()
    row = page.locator("#worklist-sign_for tbody tr").first
    expect(row).to_contain_text(case.tracking_no)
    expect(row).to_contain_text("剩")  # the countdown, in words
    row.get_by_role("link", name=case.tracking_no).click()

    # 2. The case page with its clock; the clerk signs for it.
    expect(page.locator("#complaint-clock")).to_contain_text("签收时限")
    page.screenshot(path=shot("02-case"), full_page=True)
    _press(page, "sign_for", lambda p: None, shot("03-sign-for"))
    expect(page.locator("#complaint-clock")).to_contain_text("办理时限")

    # 3. More time is needed: the extension request goes to the office.
    _press(
        page,
        "request_extension",
        lambda p: p.fill("#id_reason", "需调取窗口录像并约谈当事窗口人员，15个工作日内难以办结。"),
        shot("04-extension"),
    )
    assert ExtensionRequest.objects.get(complaint=case).status == ExtensionRequest.Status.PENDING
    # Asked once: the button is gone while it waits.
    expect(page.locator('#complaint-actions a[data-action="request_extension"]')).to_have_count(0)

    # 4. The finding, then the reply: a founded complaint's reply is kept as a draft.
    _press(page, "conclude", _conclude, shot("05-conclude"))
    page.locator('#complaint-actions a[data-action="reply"]').click()
    page.fill("#id_text", REPLY)
    page.locator('input[name="_preview"]').click()  # what the complainant will read
    expect(page.frame_locator("#preview-page").locator("#reply-text")).to_contain_text(REPLY)
    page.screenshot(path=shot("06-reply-preview"), full_page=True)
    page.locator('.submit-row input[type="submit"]:not([name="_preview"])').first.click()
    expect(page.locator(".messagelist")).to_contain_text("已完成")
    page.screenshot(path=shot("07-draft-submitted"), full_page=True)
    case.refresh_from_db()
    assert case.state == Complaint.State.CONCLUDED  # not sent yet
    assert ReplyDraft.objects.get(complaint=case).status == ReplyDraft.Status.PENDING

    # 5. Another office member finds it on the office's worklist and approves the draft.
    office_desk = browser.new_context(**LAPTOP)
    review = office_desk.new_page()
    _log_in(review, f"{live_server.url}/admin/", morning["reviewer"])
    tab = review.locator('#worklist-tabs a[data-queue="review_reply"]')
    expect(tab).to_contain_text("1")
    tab.click()
    review.locator("#worklist-review_reply tbody tr").first.get_by_role(
        "link", name=case.tracking_no
    ).click()
    review.locator('#complaint-actions a[data-action="review_reply"]').click()
    expect(review.locator("#draft-text")).to_contain_text(REPLY)
    review.screenshot(path=shot("08-office-reviews"), full_page=True)
    review.select_option("#id_approve", "1")
    review.locator('.submit-row input[type="submit"].default').click()
    expect(review.locator(".messagelist")).to_contain_text("已完成")
    case.refresh_from_db()
    assert case.state == Complaint.State.REPLIED

    # 6. The citizen, on a phone, reads the reply and rates it.
    phone = browser.new_context(**PHONE)
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/complaints/follow/?no={case.tracking_no}")
    citizen.fill("#id_query_code", morning["query_code"])
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("#reply-text")).to_contain_text(REPLY)
    citizen.screenshot(path=shot("09-citizen-reads"), full_page=True)
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.locator("#my-rating")).to_contain_text("满意")
    citizen.screenshot(path=shot("10-citizen-rated"), full_page=True)

    case.refresh_from_db()
    assert case.citizen_rating == Complaint.Rating.SATISFIED
    for context in (desk, office_desk, phone):
        context.close()
