"""Routing in a few clicks: the plan form (呈批) starts from the accused agency, agencies are found
by search (the admin's autocomplete, by tree level then name), and joint handling (联办) names a
lead agency and its partners."""

from __future__ import annotations

import re

from django.urls import reverse

from complaints.models import Complaint
from organizations import services as org_services
from tests.conftest import login, make_agency

S = Complaint.State


def act_url(c, name):
    return reverse("admin:complaints_complaint_act", args=[c.pk, name])


def test_the_plan_form_starts_from_the_accused_agency_with_search_widgets(
    new_complaint, office_user, agency_a, walk
):
    c = walk(new_complaint, S.REGISTERED)
    page = login(office_user).get(act_url(c, "plan")).content.decode()
    # The accused agency is the one option already chosen; the rest come from the search.
    assert f'<option value="{agency_a.pk}" selected>{agency_a.name}</option>' in page
    assert page.count('class="admin-autocomplete') == 2
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    assert re.search(r'<input type="radio" name="routing" value="transfer"[^>]* checked>', page)
    assert "admin/js/autocomplete.js" in page  # the admin's own select2, served from 'self'


def test_the_agency_search_orders_by_tree_level_then_name_and_leaves_out_inactive(
    db, office_user, category, agency_a
):
    branch = make_agency(name="市市场监督管理局城东分局", category=category, parent=agency_a)
    other = make_agency(name="市场服务中心", category=category)
    retired = make_agency(name="市场旧办公室", category=category)
    org_services.agency_update(actor=None, agency=retired, parent=None, is_active=False)
    params = {
        "term": "市场",
        "app_label": "complaints",
        "model_name": "complaint",
        "field_name": "plan_agency",
    }
    response = login(office_user).get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    names = [item["text"] for item in response.json()["results"]]
    assert names == [other.name, agency_a.name, branch.name]  # top level by name, then below
    joint = login(office_user).get(
        reverse("admin:autocomplete"), {**params, "field_name": "joint_agencies"}
    )
    assert [item["text"] for item in joint.json()["results"]] == names


def test_joint_handling_names_a_lead_and_partners_and_the_lead_is_no_partner(
    new_complaint, office_user, agency_a, agency_b, walk
):
    c = walk(new_complaint, S.REGISTERED)
    client = login(office_user)
    same = client.post(
        act_url(c, "plan"),
        {"routing": "joint", "agency": agency_a.pk, "joint_agencies": [agency_a.pk]},
    )
    assert "牵头单位不能同时作为协办单位。" in same.content.decode()
    done = client.post(
        act_url(c, "plan"),
        {"routing": "joint", "agency": agency_a.pk, "joint_agencies": [agency_b.pk]},
    )
    assert done.status_code == 302
    c = Complaint.objects.get(pk=c.pk)
    assert (c.state, c.plan_agency, list(c.joint_agencies.all())) == (
        S.PLANNED,
        agency_a,
        [agency_b],
    )
    revised = client.get(act_url(c, "plan")).content.decode()
    assert f'<option value="{agency_b.pk}" selected>{agency_b.name}</option>' in revised
