"""三表一单一书一卡: every document renders to a PDF with a CJK font embedded, the case number
and a QR code to the follow page; printing is scoped like the case."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from complaints import documents
from complaints.models import Complaint
from tests.complaints.conftest import answer
from tests.conftest import login

S = Complaint.State


@pytest.fixture
def concluded(new_complaint, walk):
    return walk(new_complaint, S.REPLIED)


def test_every_document_embeds_a_cjk_font(concluded, office_user, tmp_path):
    for name in documents.DOCUMENTS:
        pdf = documents.render_pdf(complaint=concluded, name=name, user=office_user)
        assert pdf.startswith(b"%PDF"), name
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        assert "CJK" in fonts.stdout, (name, fonts.stdout)


def test_a_document_carries_the_case_number_and_a_qr_code_to_the_follow_page(
    concluded, office_user, settings
):
    html = documents.render_html(complaint=concluded, name="contact_card", user=office_user)
    assert concluded.tracking_no in html
    assert "<svg" in html
    assert f"{settings.SITE_URL}/complaints/follow/?no={concluded.tracking_no}" in html


def test_documents_mask_the_complainant_and_hide_them_from_agencies(
    concluded, office_user, clerk_a
):
    office_html = documents.render_html(complaint=concluded, name="registration", user=office_user)
    assert "139****5678" in office_html and "13912345678" not in office_html
    agency_html = documents.render_html(complaint=concluded, name="transfer", user=clerk_a)
    assert "王" not in agency_html.split("投诉人")[-1][:40]
    # Neither the number nor its masked form (the case number may contain "139").
    assert "13912345678" not in agency_html and "139****5678" not in agency_html


def test_printing_is_scoped_like_the_case(concluded, clerk_a, clerk_b):
    url = reverse("complaints:document", args=[concluded.pk, "feedback"])
    response = login(clerk_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert login(clerk_b).get(url).status_code == 404
    assert (
        login(clerk_a).get(reverse("complaints:document", args=[concluded.pk, "nope"])).status_code
        == 404
    )


def test_the_feedback_form_prints_the_rounds_reply(concluded, clerk_a, clerk_b):
    from complaints import services

    c = services.complaint_rate(complaint=concluded, rating="dissatisfied")
    c = services.complaint_reopen(complaint=c, reason="不满意")
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome="founded",
        findings="复查属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=c.handling_agency)],
    )
    c = answer(c, clerk=clerk_a, text="已当面致歉。")
    first = documents.render_html(complaint=c, name="feedback", user=clerk_a, round_no=1)
    assert "经核实，情况如下……" in first and "不成立" in first and "不满意" in first
    assert "已当面致歉。" not in first and "赔礼道歉" not in first
    current = documents.render_html(complaint=c, name="feedback", user=clerk_a)
    assert "已当面致歉。" in current and "赔礼道歉" in current and "成立" in current
    assert "经核实，情况如下……" not in current
    url = reverse("complaints:document", args=[c.pk, "feedback"])
    assert login(clerk_a).get(url, {"round": 1})["Content-Type"] == "application/pdf"
    assert login(clerk_a).get(url, {"round": 3}).status_code == 404
    assert login(clerk_a).get(url, {"round": "x"}).status_code == 404
    assert login(clerk_b).get(url, {"round": 1}).status_code == 404


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(text.split())  # CJK text may be spaced out by the layout


def test_the_approval_form_prints_proposer_approver_and_the_leaders_endorsement(
    new_complaint, office_user, clerk_a, leader, walk, tmp_path
):
    from complaints import services
    from tests.complaints.conftest import approver_for

    c = walk(new_complaint, S.HANDLING)
    c = services.complaint_conclude(
        complaint=c,
        actor=clerk_a,
        outcome="founded",
        findings="属实。",
        remedies=[services.RemedySpec(kind="penalty", against_agency=c.handling_agency)],
    )
    waiting = _pdf_text(
        documents.render_pdf(complaint=c, name="approval", user=office_user), tmp_path
    )
    assert "（待领导批示）" in waiting
    services.complaint_endorse(complaint=c, actor=leader, text="同意按规定处理。")
    text = _pdf_text(documents.render_pdf(complaint=c, name="approval", user=office_user), tmp_path)
    approver = approver_for(office_user)
    assert f"拟办人{office_user.staff_profile.name}" in text  # staff by full name
    assert f"审批人{approver.staff_profile.name}" in text
    assert "审批意见同意" in text
    assert "同意按规定处理。" in text and f"批示领导：{leader.staff_profile.name}" in text
    assert "待领导批示" not in text
