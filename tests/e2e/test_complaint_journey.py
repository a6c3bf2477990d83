"""A complaint end to end in Chromium: a citizen files one with a photo on a phone, a clerk
signs for it, concludes and replies in the admin, the office approves the reply (a founded
complaint's reply is reviewed first), the citizen reads the reply and rates it.

The office's registration, plan and its approval (by another office member: who proposes a
plan does not approve it) are done through services in the setup: their admin screens are
not the point here (tests/complaints/test_admin.py and tests/e2e/test_plan_form.py cover them).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from complaints import services
from complaints.models import Complaint
from organizations.models import AgencyCategory
from organizations.roles import Role
from tests.complaints.public_helpers import PNG
from tests.conftest import make_agency, make_staff

PASSWORD = "pw-for-tests-2026"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",  # the pages follow Accept-Language
}
REPLY = "经调取监控核实，窗口人员未一次性告知所需材料，已责令其向您道歉并当场补办。"


@pytest.fixture
def city(settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    settings.COMPLAINTS_INTAKE_LIMIT = 1000  # the live server's client is always 127.0.0.1
    centre = make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="XNB"
    )
    agency = make_agency(
        name="市市场监督管理局", category=AgencyCategory.objects.get(code="government")
    )
    return {
        "agency": agency,
        "office": make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="赵效能"),
        # 拟办与审批分离: another member of the office approves the plan.
        "approver": make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="孙效能"),
        "clerk": make_staff(agency=agency, roles=[Role.HANDLER], name="张承办"),
    }


def _admin_action(page, name: str, fill=None) -> None:
    page.locator(f'#complaint-actions a[data-action="{name}"]').click()
    if fill:
        fill(page)
    page.locator('.submit-row input[type="submit"].default').click()
    expect(page.locator(".messagelist")).to_contain_text("已完成")


def _conclude_founded(page) -> None:
    page.select_option("#id_outcome", "founded")
    page.fill("#id_findings", "情况属实。")
    # A founded complaint records its remedies, each against the unit or a named person.
    page.select_option("#id_remedy-0-kind", "apology")
    page.select_option("#id_remedy-0-target", "person")
    page.fill("#id_remedy-0-person", "刘窗口")
    page.select_option("#id_remedy-1-kind", "self_criticism")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_citizen_files_clerk_replies_in_admin_citizen_rates(live_server, browser, city, artifacts):
    # 1. The citizen, on a phone, from the home page.
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.locator("main .cards").get_by_role("link", name="我要投诉").click()
    page.select_option("#id_agency_accused", str(city["agency"].pk))
    page.select_option("#id_category", label="服务态度")
    page.fill("#id_title", "办营业执照被推诿")
    page.fill(
        "#id_description",
        "11月20日在政务大厅3号窗口办理营业执照，窗口人员三次让我补材料，每次说法不同。",
    )
    page.set_input_files(
        "#id_attachments", files=[{"name": "窗口照片.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.fill("#id_complainant_name", "李市民")
    page.fill("#id_complainant_phone", "13912345678")
    page.screenshot(path=artifacts / "01-intake-phone.png", full_page=True)
    page.get_by_role("button", name="提交投诉").click()

    expect(page.locator("#tracking-no")).to_have_text(re.compile(r"^XN-\d{4}-\d{6}-\d$"))
    tracking_no = page.locator("#tracking-no").inner_text()
    query_code = page.locator("#query-code").inner_text()
    page.screenshot(path=artifacts / "02-receipt-phone.png", full_page=True)
    complaint = Complaint.objects.get(tracking_no=tracking_no)
    assert complaint.attachments.get().original_name == "窗口照片.png"

    # 2. The office registers it and routes it to the agency (services: not the point here).
    office = city["office"]
    complaint = services.complaint_register(complaint=complaint, actor=office)
    complaint = services.complaint_plan(
        complaint=complaint, actor=office, routing=Complaint.Routing.TRANSFER, agency=city["agency"]
    )
    services.complaint_plan_approve(complaint=complaint, actor=city["approver"])

    # 3. The clerk signs for it, concludes and replies through the admin's action screens.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    admin = desk.new_page()
    admin.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    admin.fill("#id_username", city["clerk"].username)
    admin.fill("#id_password", PASSWORD)
    admin.locator('input[type="submit"]').click()
    expect(admin.locator("#complaint-actions")).to_be_visible()
    _admin_action(admin, "sign_for")
    _admin_action(admin, "conclude", _conclude_founded)
    _admin_action(admin, "reply", lambda p: p.fill("#id_text", REPLY))
    admin.screenshot(path=artifacts / "03-admin-replied.png", full_page=True)
    # A founded complaint's reply is reviewed first (答复审核): a draft, not yet sent.
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CONCLUDED

    # 3b. The office reads the draft with the preview of the citizen's page and approves it.
    office_desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    review = office_desk.new_page()
    review.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
    review.fill("#id_username", office.username)
    review.fill("#id_password", PASSWORD)
    review.locator('input[type="submit"]').click()
    review.locator('#complaint-actions a[data-action="review_reply"]').click()
    expect(review.locator("#draft-text")).to_contain_text(REPLY)
    expect(review.frame_locator("#preview-page").locator("#reply-text")).to_contain_text(REPLY)
    review.screenshot(path=artifacts / "03b-office-reviews-draft.png", full_page=True)
    review.select_option("#id_approve", "1")
    review.locator('.submit-row input[type="submit"].default').click()
    expect(review.locator(".messagelist")).to_contain_text("已完成")

    # 4. The citizen follows it with number and code, reads the reply and rates it.
    page.goto(f"{live_server.url}/complaints/follow/?no={tracking_no}")
    expect(page.locator("#id_tracking_no")).to_have_value(tracking_no)
    page.fill("#id_query_code", query_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#reply-text")).to_contain_text(REPLY)
    expect(page.locator(".timeline")).to_contain_text("承办单位已签收")
    page.screenshot(path=artifacts / "04-follow-reply-phone.png", full_page=True)
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#my-rating")).to_have_text("您的评价：满意")
    page.screenshot(path=artifacts / "05-rated-phone.png", full_page=True)

    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.REPLIED
    assert complaint.citizen_rating == Complaint.Rating.SATISFIED
    phone.close()
    desk.close()
    office_desk.close()
