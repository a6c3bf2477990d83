"""The printed documents carry the facts of the case: the 转办单 the handling clock's due date,
the 服务联系卡 the date the complainant was promised at filing, channels by their label, the
product's one name — read from the PDF itself (pdftotext), as a reader of the paper would."""

from __future__ import annotations

import re
import subprocess

from django.utils import timezone, translation

from complaints import clocks, documents
from complaints.models import Complaint
from tests.complaints.conftest import submit

S = Complaint.State


def _pdf_text(complaint, name, user, tmp_path) -> str:
    """The PDF's text with every space and line break removed (lines wrap anywhere in CJK)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(documents.render_pdf(complaint=complaint, name=name, user=user))
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", result.stdout)


def _zh_date(moment) -> str:
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return f"{day.year}年{day.month}月{day.day}日"


def test_transfer_slip_text_contains_the_due_date_of_the_handling_clock(
    new_complaint, walk, office_user, tmp_path
):
    routed = walk(new_complaint, S.ROUTED)
    due = clocks.running(routed, clocks.HANDLE).due_at
    text = _pdf_text(routed, "transfer", office_user, tmp_path)
    assert f"请于收到后及时签收，并于{_zh_date(due)}前" in text
    assert "办结期限" + timezone.localtime(due).strftime("%Y-%m-%d%H:%M") in text


def test_transfer_slip_keeps_the_due_date_once_the_handling_clock_stopped(
    new_complaint, walk, office_user, tmp_path
):
    routed = walk(new_complaint, S.ROUTED)
    due = clocks.running(routed, clocks.HANDLE).due_at
    replied = walk(routed, S.REPLIED)  # concluded: the handling clock is met
    assert clocks.running(replied, clocks.HANDLE) is None
    text = _pdf_text(replied, "transfer", office_user, tmp_path)
    assert _zh_date(due) in text and "规定期限前" not in text


def test_contact_card_contains_the_expected_date_given_at_filing(
    agency_a, attitude, centre, walk, office_user, tmp_path
):
    filed = submit(agency=agency_a, category=attitude)
    handling = walk(filed.complaint, S.HANDLING)
    text = _pdf_text(handling, "contact_card", office_user, tmp_path)
    assert f"预计办结{_zh_date(filed.expected_by)}" in text


def test_documents_print_the_channel_label_not_its_code(
    agency_a, attitude, centre, walk, office_user, tmp_path
):
    hotline = walk(
        submit(agency=agency_a, category=attitude, channel=Complaint.Channel.HOTLINE).complaint,
        S.ROUTED,
    )
    for name in ("registration", "transfer"):
        assert "12345热线" in _pdf_text(hotline, name, office_user, tmp_path), name
    web = walk(submit(agency=agency_a, category=attitude).complaint, S.ROUTED)
    text = _pdf_text(web, "registration", office_user, tmp_path)
    assert "来源渠道网上" in text and "web" not in text


def test_documents_print_the_product_name_in_chinese_whoever_prints(
    new_complaint, walk, office_user, tmp_path, settings
):
    routed = walk(new_complaint, S.ROUTED)
    with translation.override("en"):  # a clerk reading the admin in English
        text = _pdf_text(routed, "transfer", office_user, tmp_path)
    assert "机关效能建设服务平台" in text and "转办" in text
    settings.PRODUCT_NAME = "东湖市效能服务平台"
    assert "东湖市效能服务平台" in _pdf_text(routed, "contact_card", office_user, tmp_path)
