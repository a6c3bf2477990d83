"""The dashboard: who may see what (and the denials), tiles, ranking, heat table, overdue list,
an agency's page, the cases behind a figure, CSV, and the chart library served by the site."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from complaints.models import Complaint
from organizations.roles import Role
from supervision.rollup import rollup_refresh
from tests.conftest import login, make_agency, make_staff
from tests.supervision.conftest import age, submit

pytestmark = pytest.mark.django_db
DASHBOARD = "/dashboard/"
ECHARTS_SHA256 = "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"


@pytest.fixture
def city(agency_a, agency_b, sub_agency_a, attitude, centre, walk):
    """A late case of agency A (red now), a concluded one of B, and the rollup refreshed."""
    late = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    late = age(late, 40)
    walk(submit(agency=agency_b, category=attitude).complaint, Complaint.State.REGISTERED)
    rollup_refresh()
    return {"late": late}


def test_the_dashboard_is_never_public(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.get(reverse("supervision:agency", args=[1])).status_code == 302


def test_leader_and_office_see_every_agency(city, leader, office_user, agency_a, agency_b):
    for user in (leader, office_user):
        response = login(user).get(DASHBOARD)
        assert response.status_code == 200
        html = response.content.decode()
        assert agency_a.name in html and agency_b.name in html


def test_a_unit_administrator_sees_the_subtree_and_not_another_agency(
    city, unit_admin_a, agency_a, sub_agency_a, agency_b
):
    client = login(unit_admin_a)
    html = client.get(DASHBOARD).content.decode()
    assert sub_agency_a.name in html
    assert agency_b.name not in html
    assert client.get(reverse("supervision:agency", args=[sub_agency_a.pk])).status_code == 200
    assert client.get(reverse("supervision:agency", args=[agency_b.pk])).status_code == 404


def test_an_approver_sees_the_subtree(city, agency_a, sub_agency_a, agency_b):
    approver = make_staff(agency=agency_a, roles=[Role.APPROVER])
    html = login(approver).get(DASHBOARD).content.decode()
    assert sub_agency_a.name in html and agency_b.name not in html


def test_a_clerk_sees_only_the_own_agency_page(city, clerk_a, agency_a, agency_b, sub_agency_a):
    client = login(clerk_a)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == reverse("supervision:agency", args=[agency_a.pk])
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("supervision:agency", args=[agency_b.pk])).status_code == 404
    assert client.get(reverse("supervision:agency", args=[sub_agency_a.pk])).status_code == 404
    cases = reverse("supervision:cases") + f"?code=complaints.received&agency={agency_b.pk}"
    assert client.get(cases).status_code == 404


def test_an_inspector_has_no_dashboard(city, agency_a):
    inspector = make_staff(agency=agency_a, roles=[Role.INSPECTOR])
    assert login(inspector).get(DASHBOARD).status_code == 403


def test_tiles_ranking_heat_and_overdue_list_show_the_figures(city, leader, agency_a):
    html = login(leader).get(DASHBOARD).content.decode()
    assert "受理投诉" in html and "当前红灯" in html
    assert 'id="ranking-data"' in html, "chart data passed through json_script"
    assert 'data-chart="ranking"' in html
    assert "指标热力表" in html
    late = city["late"]
    change = reverse("admin:complaints_complaint_change", args=[late.pk])
    assert f'href="{change}"' in html, "the overdue list links to the case"
    assert "complaint.handle" in html


def test_the_agency_page_has_its_trend_indicators_cards_and_overdue_cases(city, leader, agency_a):
    response = login(leader).get(reverse("supervision:agency", args=[agency_a.pk]))
    html = response.content.decode()
    assert 'id="trend-data"' in html
    assert "按时办结率" in html and "红牌" in html
    assert reverse("admin:complaints_complaint_change", args=[city["late"].pk]) in html


def test_the_cases_behind_a_figure_are_listed_with_links(city, leader, agency_a):
    url = reverse("supervision:cases") + f"?code=complaints.received&agency={agency_a.pk}"
    html = login(leader).get(url).content.decode()
    assert city["late"].tracking_no in html
    assert "王小明" not in html, "never the complainant"


def test_every_table_downloads_as_csv(city, leader, agency_a):
    client = login(leader)
    for table in ("tiles", "ranking", "heat", "overdue"):
        response = client.get(DASHBOARD, {"csv": table})
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("text/csv")
    trend = client.get(reverse("supervision:agency", args=[agency_a.pk]), {"csv": "trend"})
    assert trend.content.decode("utf-8-sig").splitlines()[0].startswith("统计期")
    assert client.get(DASHBOARD, {"csv": "nosuch"}).status_code == 404


def test_a_bad_period_is_a_message_not_an_error(city, leader):
    response = login(leader).get(DASHBOARD, {"period": "2026-Q9"})
    assert response.status_code == 200
    assert "无法识别" in response.content.decode()


def test_the_page_runs_no_inline_script_and_loads_the_site_own_echarts(city, leader):
    response = login(leader).get(DASHBOARD)
    html = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert "cdn" not in html.lower()
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    import re

    for script in re.findall(r"<script(?P<attrs>[^>]*)>", html):
        assert "src=" in script or 'type="application/json"' in script, script


def test_the_pinned_echarts_file_is_the_recorded_version():
    root = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts"
    digest = hashlib.sha256((root / "echarts.min.js").read_bytes()).hexdigest()
    assert digest == ECHARTS_SHA256
    assert "6.1.0" in (root / "VERSION").read_text()
    assert (root / "LICENSE").exists() and (root / "NOTICE").exists()


def test_another_category_agency_is_ranked_in_its_own_category(city, leader, db):
    from organizations.models import AgencyCategory

    window = make_agency(name="政务服务窗口", category=AgencyCategory.objects.get(code="window"))
    html = login(leader).get(DASHBOARD, {"category": "window"}).content.decode()
    assert window.name in html


def test_the_overdue_list_reads_the_partial_index_of_the_clocks_red_now(city, leader):
    """EXPLAIN of the dashboard's query (every agency, the widest): the partial index
    ``deadline_red_open_due`` serves it in due order (sequential scans priced out, as a
    large table would price them)."""
    from django.db import connection

    from supervision.selectors import access_for, red_clocks_now

    sql, params = red_clocks_now(access=access_for(leader)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "deadline_red_open_due" in plan, plan


def test_the_overdue_list_is_bounded_and_links_to_every_red_clock(
    city, leader, agency_a, attitude, walk, monkeypatch
):
    from supervision import selectors

    second = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    age(second, 30)
    client = login(leader)
    html = client.get(DASHBOARD).content.decode()
    assert html.count('class="overdue-row"') >= 2 and "查看全部超期事项" not in html

    monkeypatch.setattr(selectors, "OVERDUE_SHOWN", 1)
    for url in (DASHBOARD, reverse("supervision:agency", args=[agency_a.pk])):
        html = client.get(url).content.decode()
        assert html.count('class="overdue-row"') == 1
        assert "查看全部超期事项" in html
    everything = client.get(reverse("supervision:cases") + "?code=timelimits.red_now")
    page = everything.content.decode()
    for case in (city["late"], second):
        assert reverse("admin:complaints_complaint_change", args=[case.pk]) in page
