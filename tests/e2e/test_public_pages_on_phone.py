"""The transparency pages on a phone in Chromium: nothing wider than the screen, the duty-board
picker works with JavaScript switched off, and the skip link is the first thing Tab reaches."""

from __future__ import annotations

import pytest
from django.utils import timezone

from organizations import services
from organizations.models import AgencyCategory, KeyPost
from organizations.roles import Role
from tests.conftest import make_agency, make_staff

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


@pytest.fixture
def city():
    government = AgencyCategory.objects.get(code="government")
    bureau = make_agency(name="市市场监督管理局", category=government, code="E2E-SCJG")
    branch = make_agency(
        name="市市场监督管理局经济技术开发区高新技术产业园区分局",  # a long real-world name
        category=AgencyCategory.objects.get(code="grassroots"),
        parent=bureau,
        code="E2E-SCJG-GX",
    )
    clerk = make_staff(agency=bureau, roles=[Role.HANDLER], name="张承办")
    services.duty_status_set(
        actor=clerk,
        staff=clerk.staff_profile,
        status="research",
        date=timezone.localdate(),
        note="到经济技术开发区高新技术产业园区企业服务中心窗口现场督查服务质量",
    )
    KeyPost.objects.create(
        agency=bureau,
        title="食品经营许可受理岗",
        holder=clerk.staff_profile,
        duties="受理食品经营许可申请，一次性告知申请人需要补正的全部材料。" * 3,
        powers="受理、不予受理、补正告知",
        complaint_channel="拨打 12345 政务服务热线，或登录 https://example.gov.cn/complaints/new/",
    )
    return bureau, branch


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_fit_a_phone_screen(live_server, browser, city, artifacts):
    bureau, _branch = city
    page = browser.new_context(**PHONE).new_page()
    for path in ("/key-posts/", "/on-duty/", f"/on-duty/{bureau.pk}/", "/agencies/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(artifacts / f"phone-{name}.png"), full_page=True)
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_duty_board_picker_works_with_javascript_off(live_server, browser, city):
    bureau, _branch = city
    page = browser.new_context(**PHONE, java_script_enabled=False).new_page()
    page.goto(live_server.url + "/on-duty/")
    page.get_by_label("选择单位").select_option(str(bureau.pk))
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(f"**/on-duty/{bureau.pk}/")
    assert page.get_by_role("heading", level=2).inner_text() == "市市场监督管理局"
    assert "张承办" in page.content() and "调研" in page.content()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_skip_link_is_the_first_stop_and_jumps_to_the_content(live_server, browser, city):
    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    page.goto(live_server.url + "/key-posts/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_intake_form_fits_a_phone_and_its_agency_list_filters_as_you_type(
    live_server, browser, city, artifacts, settings
):
    """The intake form (with the SMS step on) is no wider than the phone; typing in
    查找单位 narrows the agency select at once, the long branch name included."""
    settings.COMPLAINTS_SMS_VERIFY = True
    bureau, branch = city
    make_agency(name="市教育局", category=AgencyCategory.objects.get(code="government"))
    page = browser.new_context(**PHONE).new_page()
    page.goto(live_server.url + "/complaints/new/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    page.screenshot(path=str(artifacts / "phone-complaints-new.png"), full_page=True)
    assert overflow <= 0, f"the intake form is {overflow}px wider than the phone"
    assert page.get_by_role("button", name="发送验证码").is_visible()

    page.get_by_label("查找单位").fill("高新")
    values = page.eval_on_selector_all("#id_agency_accused option", "os => os.map(o => o.value)")
    assert values == ["", str(branch.pk)]
    assert "找到 1 个单位" in page.inner_text("#agency-filter-status")
    page.get_by_label("查找单位").fill("")
    values = page.eval_on_selector_all("#id_agency_accused option", "os => os.map(o => o.value)")
    assert str(bureau.pk) in values and len(values) > 3


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_intake_agency_search_works_with_javascript_off(live_server, browser, city):
    _bureau, branch = city
    page = browser.new_context(**PHONE, java_script_enabled=False).new_page()
    page.goto(live_server.url + "/complaints/new/")
    page.get_by_label("标题").fill("窗口推诿")
    page.get_by_label("查找单位").fill("高新")
    page.get_by_role("button", name="查找", exact=True).click()
    page.wait_for_load_state()
    values = page.eval_on_selector_all("#id_agency_accused option", "os => os.map(o => o.value)")
    assert values == ["", str(branch.pk)]
    assert page.get_by_label("标题").input_value() == "窗口推诿"
