"""我要投诉, item 11: one answer names every problem; the agency list is a sorted tree."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from organizations.models import AgencyCategory
from tests.complaints.public_helpers import citizen, forged, png
from tests.complaints.test_pages_intake import _fields, _form
from tests.conftest import make_agency

URL = reverse("complaints:intake")


@pytest.fixture
def client():
    return citizen()


def _errors(page: str, field: str) -> str:
    found = re.search(rf'id="id_{field}-errors">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_several_errors_are_reported_in_one_response(client, agency_a, attitude, centre):
    """Title too long (the form), a bad phone and a bad ID number (the intake's contact
    rules), a forged file (the upload check): all four in the first answer."""
    fields = _fields(
        agency_a,
        attitude,
        title="长" * 101,
        complainant_phone="12ab",
        complainant_id_number="12345",
        complainant_email="不是邮箱",
    )
    response = client.post(URL, {**_form(client), **fields, "attachments": [forged()]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不能超过 100 个字（现有 101 个）。" in _errors(page, "title")
    assert "电话号码格式不正确。" in _errors(page, "complainant_phone")
    assert "身份证号格式不正确。" in _errors(page, "complainant_id_number")
    assert "邮箱格式不正确。" in _errors(page, "complainant_email")
    assert "的类型不被接受" in _errors(page, "attachments")
    assert Complaint.objects.count() == 0


def test_missing_name_and_contact_are_reported_with_the_missing_title(
    client, agency_a, attitude, centre
):
    fields = _fields(agency_a, attitude, title="", complainant_name="", complainant_phone="")
    page = client.post(URL, {**_form(client), **fields}).content.decode()
    assert "请填写投诉标题。" in _errors(page, "title")
    assert "实名投诉请填写姓名。" in _errors(page, "complainant_name")
    assert "实名投诉请至少留一种联系方式（手机或邮箱）。" in _errors(page, "complainant_phone")


def test_typed_text_and_kept_files_survive_every_error_at_once(client, agency_a, attitude, centre):
    form = _form(client)
    fields = _fields(agency_a, attitude, title="长" * 101, complainant_phone="12ab")
    page = client.post(URL, {**form, **fields, "attachments": [png(), forged()]}).content.decode()
    assert fields["description"] in page and "12ab" in page and "长" * 101 in page
    assert "现场照片.png" in page.split('class="kept"')[1]  # the good file waits for the retry

    fixed = _fields(agency_a, attitude)
    response = client.post(URL, {**form, **fixed})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert [a.original_name for a in complaint.attachments.all()] == ["现场照片.png"]


def test_similar_complaints_are_suggested_beside_the_errors(client, agency_a, attitude, centre):
    """The duplicate suggestion does not wait for the errors to be fixed."""
    from tests.complaints.conftest import submit

    submit(
        agency=agency_a,
        category=attitude,
        title="办证窗口推诿",
        description="在政务大厅办理不动产登记，窗口人员以系统故障为由让我改天再来，已经跑了三趟。",
    )
    fields = _fields(agency_a, attitude, complainant_phone="12ab")
    page = client.post(URL, {**_form(client), **fields}).content.decode()
    assert "电话号码格式不正确。" in page
    assert "已有类似的投诉正在办理" in page


def test_agency_options_are_ordered_by_level_then_name(client, centre):
    """Grouped by category; in a group every agency follows its parent, one step further
    in, and siblings are in name (拼音) order whatever order they were created in."""
    government = AgencyCategory.objects.get(code="government")
    zhu = make_agency(name="住房局", category=government)  # zhù
    an = make_agency(name="安监局", category=government)  # ān
    bei = make_agency(name="北区分局", category=government, parent=zhu)  # běi
    ai = make_agency(name="爱民分局", category=government, parent=zhu)  # ài
    page = client.get(URL).content.decode()
    group = re.search(r'<optgroup label="政府部门">(.*?)</optgroup>', page, re.S).group(1)
    options = re.findall(r'<option value="(\d+)">(\u3000*)([^<]+)</option>', group)
    assert [(int(pk), len(indent)) for pk, indent, _name in options] == [
        (an.pk, 0),
        (zhu.pk, 0),
        (ai.pk, 1),
        (bei.pk, 1),
    ]
    party = page.index('<optgroup label="党政机关">')
    assert party < page.index('<optgroup label="政府部门">')  # categories in their order


def test_agency_search_is_a_served_script_under_the_csp(client, centre):
    response = client.get(URL)
    page = response.content.decode()
    script = re.search(r'<script src="([^"]+agency_search[^"]*\.js)" defer></script>', page)
    assert script is not None
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'data-filters="id_agency_accused"' in page  # the script's hook; the button stays
    assert 'name="action" value="search"' in page  # without JavaScript the search still posts
