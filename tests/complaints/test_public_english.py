"""English pages show English data where the data has it: agency and category names by their
English name, the timeline in English whatever language each step was written in, and
half-width punctuation around the data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import submit, to_state
from tests.complaints.public_helpers import citizen

S = Complaint.State
AGENCY_EN = "Municipal Administration for Market Regulation"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


@pytest.fixture
def english_agency(agency_a):
    agency_a.name_en = AGENCY_EN
    agency_a.save(update_fields=["name_en"])
    return agency_a


def _follow(client, filed) -> str:
    return client.post(
        reverse("complaints:follow"),
        {"tracking_no": filed.complaint.tracking_no, "query_code": filed.query_code},
        follow=True,
    ).content.decode()


def _english():
    client = citizen()
    client.cookies["django_language"] = "en"
    return client


def _en(msgid: str) -> str:
    with translation.override("en"):
        return translation.gettext(msgid)


def _without(html: str, data: list[str]) -> str:
    for text in [*data, "简体中文"]:
        html = html.replace(text, "")
    return html


def test_english_page_shows_an_agencys_english_name_and_the_timeline_in_english(
    english_agency, attitude, centre, office_user, clerk_a
):
    filed = submit(agency=english_agency, category=attitude)  # written by a Chinese page
    to_state(filed.complaint, S.REPLIED, office=office_user, clerk=clerk_a, agency=english_agency)
    page = _follow(_english(), filed)
    assert f"Agency complained about: {AGENCY_EN}" in page
    assert _en("投诉已提交，等待投诉中心登记。") in page
    assert _en("投诉已交%(agency)s办理。") % {"agency": AGENCY_EN} in page
    with translation.override("en"):
        outcome = str(Complaint.Outcome.UNFOUNDED.label)
    assert _en("调查已完成，结论：%(outcome)s。") % {"outcome": outcome} in page
    assert f"Finding: {outcome}" in page
    case = filed.complaint
    data = [case.title, case.description, "经核实，情况如下……", case.tracking_no]
    leftover = CJK.findall(_without(page, data))
    assert not leftover, f"Chinese or full-width punctuation on the English page: {leftover}"


def test_a_step_written_in_english_reads_in_chinese_on_a_chinese_page(
    english_agency, attitude, centre, office_user
):
    filed = submit(agency=english_agency, category=attitude)
    with translation.override("en"):  # the office works in the English admin
        services.complaint_register(complaint=filed.complaint, actor=office_user)
    page = _follow(citizen(), filed)
    assert "投诉中心已登记受理您的投诉。" in page
    assert _en("投诉中心已登记受理您的投诉。") not in page


def test_english_public_case_shows_english_agency_and_category_names(
    english_agency, attitude, centre, office_user, clerk_a
):
    case = to_state(
        submit(agency=english_agency, category=attitude).complaint,
        S.REPLIED,
        office=office_user,
        clerk=clerk_a,
        agency=english_agency,
    )
    url = reverse("complaints:public_case", args=[case.tracking_no])
    page = _english().get(url).content.decode()
    assert AGENCY_EN in page and attitude.name_en in page
    assert attitude.name not in page.replace(case.public_description, "")
    listing = _english().get(reverse("complaints:public_cases")).content.decode()
    assert AGENCY_EN in listing and "Reply: " in listing
