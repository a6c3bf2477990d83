"""The leaders' dashboard in Chromium: a leader logs in, the charts draw (their canvases have
pixels) under the site's CSP, a bar opens the agency page, the overdue list opens the case."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory
from organizations.roles import Role
from supervision.rollup import rollup_refresh
from tests.complaints.conftest import submit, to_state
from tests.conftest import make_agency, make_staff
from tests.supervision.conftest import age

PASSWORD = "pw-for-tests-2026"

# Whether a canvas has any painted pixel (ECharts draws on a transparent canvas).
_PAINTED = """(selector) => {
  const canvas = document.querySelector(selector + ' canvas');
  if (!canvas) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) painted++; }
  return painted;
}"""

# The page position of the first bar's centre, from the chart itself.
_FIRST_BAR = """(selector) => {
  const element = document.querySelector(selector);
  const chart = echarts.getInstanceByDom(element);
  const option = chart.getOption();
  const last = option.yAxis[0].data.length - 1;  // the best agency is drawn at the top
  const value = option.series[0].data[last].value;
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, last]);
  const box = element.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y};
}"""


@pytest.fixture
def city(settings, tmp_path):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    government = AgencyCategory.objects.get(code="government")
    centre = make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="P-XNB"
    )
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE], name="赵效能")
    leader = make_staff(agency=centre, roles=[Role.LEADER], name="钱领导")
    category = ComplaintCategory.objects.get(code="attitude")
    agencies = [make_agency(name=n, category=government) for n in ("市市场监管局", "市住建局")]
    late = None
    for agency in agencies:
        clerk = make_staff(agency=agency, roles=[Role.HANDLER])
        for i in range(3):
            case = submit(agency=agency, category=category).complaint
            target = Complaint.State.HANDLING if i == 0 else Complaint.State.CLOSED
            case = to_state(case, target, office=office, clerk=clerk, agency=agency)
            if i == 0 and late is None:
                late = age(case, 40)  # a red clock now
    rollup_refresh()
    return {"leader": leader, "late": late, "agencies": agencies}


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_leader_reads_the_dashboard_and_follows_a_bar_and_an_overdue_case(
    live_server, browser, city, artifacts
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/dashboard/")
    page.fill("#id_username", city["leader"].username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    expect(page.locator("h1")).to_contain_text("效能监督看板")

    chart = "#ranking-government"
    page.wait_for_selector(f'{chart}[data-drawn="1"] canvas')
    assert page.evaluate(_PAINTED, chart) > 100, "the ranking chart has pixels"
    assert not [e for e in errors if "Content Security Policy" in e], errors
    page.screenshot(path=artifacts / "dashboard-01-leader.png", full_page=True)

    # A bar opens the agency page.
    page.locator(chart).scroll_into_view_if_needed()
    point = page.evaluate(_FIRST_BAR, chart)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/dashboard/agency/**")
    expect(page.locator("#agency-title")).to_be_visible()
    page.wait_for_selector('#trend-chart[data-drawn="1"] canvas')
    assert page.evaluate(_PAINTED, "#trend-chart") > 100, "the trend chart has pixels"
    page.screenshot(path=artifacts / "dashboard-02-agency.png", full_page=True)

    # The overdue list opens the case.
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#overdue a.case-link").first.click()
    page.wait_for_url(f"**/admin/complaints/complaint/{city['late'].pk}/change/")
    expect(page.locator("body")).to_contain_text(city["late"].tracking_no)
    page.screenshot(path=artifacts / "dashboard-03-case.png", full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    small.goto(f"{live_server.url}/admin/login/?next=/dashboard/")
    small.fill("#id_username", city["leader"].username)
    small.fill("#id_password", PASSWORD)
    small.locator('input[type="submit"]').click()
    small.wait_for_selector(f'{chart}[data-drawn="1"] canvas')
    small.screenshot(path=artifacts / "dashboard-04-phone.png", full_page=True)
    context.close()
    phone.close()


def _login(context, live_server, leader):
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/dashboard/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", PASSWORD)
    page.locator('input[type="submit"]').click()
    page.wait_for_selector('#ranking-government[data-drawn="1"] canvas')
    return page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dashboard_fits_a_phone_and_prints_its_tables_without_the_filters(
    live_server, browser, city, artifacts
):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = _login(phone, live_server, city["leader"])
    # Nothing wider than the phone but the tables that scroll inside their own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    assert page.locator("form.filters").is_visible()
    page.screenshot(path=artifacts / "dashboard-05-phone-top.png")

    page.emulate_media(media="print")
    assert not page.locator("form.filters").is_visible(), "print hides the filters"
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".downloads").first.is_visible()
    for table in (".ranking-table", ".heat-table", "#overdue table"):
        assert page.locator(table).first.is_visible(), f"print keeps {table}"
    # The heat table is printed whole, not cut at its scroll box.
    clipped = page.evaluate(
        """() => { const box = document.querySelector('.heat-table').parentElement;
                   return getComputedStyle(box).overflowX; }"""
    )
    assert clipped == "visible"
    page.screenshot(path=artifacts / "dashboard-06-print.png", full_page=True)
    phone.close()
