"""我要投诉: the citizen's intake page — success, double click, bad input, kept text and files."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import numbers
from complaints.models import Attachment, Complaint
from tests.complaints.public_helpers import citizen, forged, png

URL = reverse("complaints:intake")


def _form(client) -> dict:
    page = client.get(URL).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    token = re.search(r'name="upload_token" value="([^"]+)"', page).group(1)
    return {"submission_key": key, "upload_token": token}


def _fields(agency, category, **overrides) -> dict:
    fields = {
        "agency_accused": agency.pk,
        "category": category.pk,
        "title": "办证窗口推诿",
        "description": "在政务大厅办理不动产登记，窗口人员以系统故障为由让我改天再来，已经跑了三趟。",
        "complainant_name": "李市民",
        "complainant_phone": "13912345678",
        "action": "submit",
    }
    fields.update(overrides)
    return fields


def _agency_select(page: str) -> str:
    return re.search(r'<select name="agency_accused".*?</select>', page, re.S).group(0)


@pytest.fixture
def client():
    return citizen()


def test_citizen_files_a_complaint_and_sees_number_and_code_once(
    client, agency_a, attitude, centre
):
    response = client.post(
        URL, {**_form(client), **_fields(agency_a, attitude), "attachments": [png()]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:intake_done")

    receipt = client.get(response["Location"]).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.tracking_no in receipt
    code = re.search(r'id="query-code">([^<]+)<', receipt).group(1)
    assert numbers.query_code_matches(code, complaint.query_code_hash)
    assert "查询码只显示这一次" in receipt
    assert re.search(r'id="expected-by">\d{4}-\d{2}-\d{2}<', receipt)
    assert complaint.channel == "web" and complaint.attachments.count() == 1

    again = client.get(reverse("complaints:intake_done"))
    assert again.status_code == 302  # shown once: the code is gone from the session
    assert code not in client.get(reverse("complaints:follow")).content.decode()


def test_anonymous_complaint_still_gets_number_and_code(client, agency_a, attitude, centre):
    fields = _fields(agency_a, attitude, anonymous="on", complainant_name="", complainant_phone="")
    response = client.post(URL, {**_form(client), **fields}, follow=True)
    page = response.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.complainant_name == ""
    assert complaint.tracking_no in page and 'id="query-code"' in page


def test_double_click_files_once_and_shows_the_same_number(client, agency_a, attitude, centre):
    form = {**_form(client), **_fields(agency_a, attitude)}
    first = client.post(URL, form, follow=True).content.decode()
    second = client.post(URL, form, follow=True).content.decode()
    assert Complaint.objects.count() == 1
    number = Complaint.objects.get().tracking_no
    code_1 = re.search(r'id="query-code">([^<]+)<', first).group(1)
    code_2 = re.search(r'id="query-code">([^<]+)<', second).group(1)
    assert number in second and code_1 == code_2


def test_missing_fields_are_reported_in_chinese_and_nothing_is_saved(client, agency_a, centre):
    response = client.post(
        URL,
        {
            **_form(client),
            "agency_accused": agency_a.pk,
            "description": "只写了内容",
            "action": "submit",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写投诉标题。" in page and "请选择投诉类别。" in page
    assert "只写了内容" in page  # the citizen's text is kept
    assert Complaint.objects.count() == 0


def test_too_long_description_is_refused_and_kept(client, agency_a, attitude, centre):
    text = "长" * 5001
    page = client.post(
        URL, {**_form(client), **_fields(agency_a, attitude, description=text)}
    ).content.decode()
    assert "不能超过 5000 个字（现有 5001 个）。" in page
    assert text in page
    assert Complaint.objects.count() == 0


def test_unknown_agency_or_category_is_a_field_error(client, attitude, agency_a, centre):
    fields = {**_fields(agency_a, attitude), "agency_accused": 999999, "category": 888888}
    page = client.post(URL, {**_form(client), **fields}).content.decode()
    assert "请选择有效的被投诉单位。" in page and "请选择有效的投诉类别。" in page
    assert Complaint.objects.count() == 0


def test_inactive_agency_cannot_be_chosen(client, attitude, agency_a, centre):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    page = client.post(URL, {**_form(client), **_fields(agency_a, attitude)}).content.decode()
    assert "请选择有效的被投诉单位。" in page
    assert Complaint.objects.count() == 0


def test_forged_file_is_refused_while_good_file_and_text_are_kept_for_retry(
    client, agency_a, attitude, centre
):
    form = {**_form(client), **_fields(agency_a, attitude)}
    response = client.post(URL, {**form, "attachments": [png("照片.png"), forged("合同.pdf")]})
    page = response.content.decode()
    assert "文件“合同.pdf”的类型不被接受：只接受图片、PDF 和 Office 文档。" in page
    assert "照片.png" in page and "无需重新选择" in page
    assert form["description"] in page
    assert Complaint.objects.count() == 0 and Attachment.objects.count() == 0

    # The retry sends no file at all: the kept photo goes with the complaint.
    client.post(URL, form)
    complaint = Complaint.objects.get()
    assert [a.original_name for a in complaint.attachments.all()] == ["照片.png"]


def test_oversize_file_is_refused(client, agency_a, attitude, centre, settings):
    settings.COMPLAINTS_ATTACHMENT_MAX_BYTES = 1024
    big = png("大图.png")
    big.file.write(b"\x00" * 2048)
    big.file.seek(0)
    page = client.post(
        URL, {**_form(client), **_fields(agency_a, attitude), "attachments": [big]}
    ).content.decode()
    assert "文件“大图.png”超过 1.0\xa0KB，请压缩后再上传。" in page
    assert Complaint.objects.count() == 0


def test_unticked_kept_file_is_not_submitted(client, agency_a, attitude, centre):
    form = {**_form(client), **_fields(agency_a, attitude)}
    client.post(URL, {**form, "title": "", "attachments": [png("a.png")]})
    client.post(URL, {**form, "drop": ["0"]})
    assert Complaint.objects.get().attachments.count() == 0


def test_script_in_text_is_stored_as_text_and_shown_escaped(client, agency_a, attitude, centre):
    script = '<script>alert("x")</script>'
    page = client.post(
        URL, {**_form(client), **_fields(agency_a, attitude, title="", description=script)}
    ).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_agency_search_narrows_the_list_and_keeps_the_text(client, agency_a, agency_b, centre):
    form = {
        **_form(client),
        "agency_search": agency_b.name[-3:],
        "title": "我写的标题",
        "action": "search",
    }
    page = client.post(URL, form).content.decode()
    agencies = _agency_select(page)
    assert f'value="{agency_b.pk}"' in agencies and f'value="{agency_a.pk}"' not in agencies
    assert "我写的标题" in page and "请填写投诉标题。" not in page


def test_intake_is_throttled_per_client_with_a_clear_message(
    client, agency_a, attitude, centre, settings
):
    settings.COMPLAINTS_INTAKE_LIMIT = 2
    form = {**_form(client), **_fields(agency_a, attitude, title="")}
    for _ in range(2):
        assert client.post(URL, form).status_code == 200
    response = client.post(URL, form)
    assert response.status_code == 429
    page = response.content.decode()
    assert "提交过于频繁，请稍后再试。您填写的内容已保留。" in page
    assert form["description"] in page
    other = citizen()
    assert other.post(URL, {**_form(other), **_fields(agency_a, attitude)}).status_code == 302


def test_errors_are_in_english_on_english_pages(client, agency_a, centre):
    client.cookies["django_language"] = "en"
    page = client.post(
        URL, {**_form(client), "agency_accused": agency_a.pk, "action": "submit"}
    ).content.decode()
    assert "Please enter a title for the complaint." in page
