"""Duplicate suggestions for Chinese text: paraphrases match, unrelated complaints do not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import duplicates
from complaints.models import Complaint, PublicPolicy
from tests.complaints.conftest import submit
from tests.complaints.public_helpers import citizen
from tests.conftest import login

ORIGINAL = ("窗口态度恶劣", "窗口工作人员态度恶劣，办营业执照被推诿三次")
PARAPHRASE = ("营业执照办理被推来推去", "办理营业执照时窗口人员推来推去，跑了三趟，服务态度很差")
UNRELATED = ("路灯坏了没人修", "小区门口的路灯坏了一个多月，打电话反映了也没人来修。")


def _file(agency, category, text, **kw):
    title, description = text
    return submit(
        agency=agency, category=category, title=title, description=description, **kw
    ).complaint


def test_paraphrased_chinese_complaint_is_suggested(agency_a, attitude, centre):
    original = _file(agency_a, attitude, ORIGINAL)
    _file(agency_a, attitude, UNRELATED)
    found = duplicates.similar_open_complaints(
        agency=agency_a, title=PARAPHRASE[0], description=PARAPHRASE[1]
    )
    assert [s.complaint.pk for s in found] == [original.pk]


def test_unrelated_complaint_does_not_match(agency_a, attitude, centre):
    _file(agency_a, attitude, UNRELATED)
    assert (
        duplicates.similar_open_complaints(
            agency=agency_a, title=ORIGINAL[0], description=ORIGINAL[1]
        )
        == []
    )


def test_only_open_complaints_against_the_same_agency_are_suggested(
    agency_a, agency_b, attitude, centre, walk
):
    _file(agency_b, attitude, ORIGINAL)  # another agency
    walk(_file(agency_a, attitude, ORIGINAL), Complaint.State.CLOSED)  # finished
    assert (
        duplicates.similar_open_complaints(
            agency=agency_a, title=PARAPHRASE[0], description=PARAPHRASE[1]
        )
        == []
    )


def test_at_most_five_suggestions_best_first(agency_a, attitude, centre):
    for _ in range(7):
        _file(agency_a, attitude, ORIGINAL)
    found = duplicates.similar_open_complaints(
        agency=agency_a, title=ORIGINAL[0], description=ORIGINAL[1]
    )
    assert len(found) == 5
    assert found[0].score == 1.0


def test_threshold_is_the_policy_row(agency_a, attitude, centre):
    _file(agency_a, attitude, ORIGINAL)
    PublicPolicy.objects.update(duplicate_min_score=0.9)
    assert (
        duplicates.similar_open_complaints(
            agency=agency_a, title=PARAPHRASE[0], description=PARAPHRASE[1]
        )
        == []
    )


def test_admin_suggestions_are_scoped_to_what_the_user_may_see(
    agency_a, attitude, centre, office_user, clerk_b
):
    one = _file(agency_a, attitude, ORIGINAL)
    two = _file(agency_a, attitude, PARAPHRASE)
    assert [
        s.complaint for s in duplicates.similar_to_complaint(complaint=two, user=office_user)
    ] == [one]
    assert duplicates.similar_to_complaint(complaint=two, user=clerk_b) == []


def _form(client):
    page = client.get(reverse("complaints:intake")).content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
        for name in ("submission_key", "upload_token")
    }


@pytest.fixture
def intake_fields(agency_a, attitude):
    return {
        "agency_accused": agency_a.pk,
        "category": attitude.pk,
        "title": PARAPHRASE[0],
        "description": PARAPHRASE[1],
        "anonymous": "on",
        "action": "submit",
    }


def test_intake_suggests_similar_then_files_mine_anyway(agency_a, attitude, centre, intake_fields):
    original = _file(agency_a, attitude, ORIGINAL)
    client = citizen()
    form = {**_form(client), **intake_fields}
    page = client.post(form and reverse("complaints:intake"), form).content.decode()
    assert "已有类似的投诉正在办理" in page and original.tracking_no in page
    assert "不是同一件事，仍然提交我的投诉" in page
    assert Complaint.objects.count() == 1

    # "Follow that one": the suggested case's step, by a signed link only.
    link = re.search(r'href="(/complaints/similar/[^"]+)"', page).group(1)
    followed = client.get(link).content.decode()
    assert original.tracking_no in followed and "待登记" in followed
    assert original.description not in followed
    assert client.get("/complaints/similar/forged-token/").status_code == 404

    response = client.post(reverse("complaints:intake"), {**form, "file_anyway": "1"})
    assert response.status_code == 302
    assert Complaint.objects.count() == 2


def test_intake_without_similar_files_directly(agency_a, attitude, centre, intake_fields):
    _file(agency_a, attitude, UNRELATED)
    client = citizen()
    response = client.post(reverse("complaints:intake"), {**_form(client), **intake_fields})
    assert response.status_code == 302 and Complaint.objects.count() == 2


def test_admin_change_page_lists_similar_open_complaints(agency_a, attitude, centre, office_user):
    one = _file(agency_a, attitude, ORIGINAL)
    two = _file(agency_a, attitude, PARAPHRASE)
    page = login(office_user).get(reverse("admin:complaints_complaint_change", args=[two.pk]))
    assert one.tracking_no in page.content.decode()


def test_intake_shows_other_peoples_suggestions_only_as_the_public_pages_would(
    agency_a, attitude, centre, clerk_a, intake_fields
):
    """A suggestion is someone else's open complaint: its title masked (numbers, the
    complainant's and the agency's staff's names), its step and agency — never as filed."""
    other = _file(
        agency_a,
        attitude,
        (
            "王小明投诉张承办窗口态度恶劣13912345678",
            "我叫王小明，电话13912345678。窗口工作人员张承办态度恶劣，办营业执照被推诿三次",
        ),
        complainant_name="王小明",
    )
    client = citizen()
    page = client.post(reverse("complaints:intake"), {**_form(client), **intake_fields})
    page = page.content.decode()
    assert other.tracking_no in page  # positive control: it is suggested
    assert "王**投诉张**窗口态度恶劣139****5678" in page
    assert "投诉中心登记受理" in page and agency_a.name in page  # its step and agency
    for secret in ("王小明", "张承办", "13912345678", "我叫"):
        assert secret not in page
