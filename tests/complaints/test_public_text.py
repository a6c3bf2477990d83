"""办理公开 shows and searches only the public text written when a case is answered
(complaints.publication): the search cannot find a case by what the page masks."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from tests.complaints.conftest import submit
from tests.complaints.public_helpers import citizen

URL = reverse("complaints:public_cases")
MATTER = (
    "我叫王小明，电话13912345678，身份证110101199001011234，邮箱 wang@example.com。营业执照被推诿。"
)


def _answered(agency, category, walk, **fields):
    fields.setdefault("description", MATTER)
    return walk(
        submit(agency=agency, category=category, **fields).complaint, Complaint.State.REPLIED
    )


def _found(query: str, case) -> bool:
    return case.tracking_no in citizen().get(URL, {"q": query}).content.decode()


def test_public_search_finds_a_case_by_the_words_the_page_shows(agency_a, attitude, centre, walk):
    case = _answered(agency_a, attitude, walk)
    assert _found("营业执照被推诿", case)
    assert _found("139****5678", case)  # the number as the page writes it
    assert _found("王**", case)


def test_public_search_cannot_find_a_case_by_the_identity_it_masks(
    agency_a, attitude, centre, walk
):
    case = _answered(agency_a, attitude, walk)
    assert _found("营业执照", case)  # positive control
    for secret in ("13912345678", "1391234", "110101199001011234", "wang@example.com", "王小明"):
        assert not _found(secret, case), secret


def test_public_search_cannot_find_a_staff_name_written_in_the_reply(
    agency_a, attitude, centre, office_user, clerk_a, walk
):
    case = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.CONCLUDED)
    case = services.complaint_reply(complaint=case, actor=clerk_a, text="经张承办核实，已整改。")
    assert _found("已整改", case)
    assert not _found("张承办", case)


def test_answering_writes_the_public_text_and_keeps_what_the_citizen_typed(
    agency_a, attitude, centre, walk
):
    case = _answered(agency_a, attitude, walk, title="王小明的投诉")
    case.refresh_from_db()
    assert case.description == MATTER and case.title == "王小明的投诉"  # nothing lost
    assert case.public_title == "王**的投诉"
    assert case.public_description.startswith("我叫王**，电话139****5678，身份证110***********1234")
    assert "wang@example.com" not in case.public_description
    assert case.public_reply == case.reply_text == "经核实，情况如下……"


def test_an_open_case_has_no_public_text_yet(new_complaint, walk):
    case = walk(new_complaint, Complaint.State.HANDLING)
    case.refresh_from_db()
    assert (case.public_title, case.public_description, case.public_reply) == ("", "", "")


def test_the_migration_fills_the_public_text_of_cases_answered_before(
    agency_a, attitude, centre, walk
):
    answered = _answered(agency_a, attitude, walk)
    still_open = walk(submit(agency=agency_a, category=attitude).complaint, "handling")
    Complaint.objects.update(public_title="", public_description="", public_reply="")
    migration = importlib.import_module("complaints.migrations.0012_public_text")
    migration.fill_public_text(apps, None)
    answered.refresh_from_db()
    still_open.refresh_from_db()
    assert answered.public_description.startswith("我叫王**，电话139****5678")
    assert answered.public_reply == "经核实，情况如下……"
    assert still_open.public_description == ""
    assert _found("营业执照", answered) and not _found("13912345678", answered)
