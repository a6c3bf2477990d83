"""The 时限 list and page in words: kinds by label, the subject by its case number, staff by
name, escalation levels by their rung, clock events as sentences — never codes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.complaints.conftest import attitude, centre, new_complaint, walk  # noqa: F401
from tests.conftest import login
from timelimits.labels import kind_label, level_label
from timelimits.models import Deadline, TimeLimitPolicy

S = Complaint.State
DEADLINES = reverse("admin:timelimits_deadline_changelist")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_complaint_kind_has_a_label(db):
    for kind in TimeLimitPolicy.objects.filter(kind__startswith="complaint.").values_list(
        "kind", flat=True
    ):
        assert kind_label(kind) != kind
    assert kind_label("complaint.reply") == "答复时限"


def test_an_unlabelled_kind_falls_back_to_its_policy_name(db):
    policy = TimeLimitPolicy.objects.get(kind="supervision.rectify", category="")
    assert kind_label("supervision.rectify", policy=policy) == policy.name


def test_an_escalation_level_is_named_by_its_rung(db):
    policy = TimeLimitPolicy.objects.get(kind="complaint.handle", category="")
    assert level_label(0, policy=policy) == "未督办"
    assert level_label(2, policy=policy) == "第 2 级（催办通知书）"


def test_the_deadline_list_shows_labels_the_case_number_and_names(
    new_complaint,  # noqa: F811
    walk,  # noqa: F811
    clerk_a,
):
    c = walk(new_complaint, S.CONCLUDED)
    Deadline.objects.filter(subject_id=c.pk, kind="complaint.reply").update(escalation_level=2)
    page = login(clerk_a).get(DEADLINES).content.decode()
    start = page.index('id="result_list"')
    table = page[start : page.index("</table>", start)]
    assert "complaint.reply" not in _text(page) and "complaint.reply" not in table
    assert "答复时限" in table and c.tracking_no in table and "张承办" in table
    assert "第 2 级（督办通知书）" not in table  # the reply clock's ladder: 2 is 催办通知书
    assert "第 2 级（催办通知书）" in table
    assert reverse("admin:complaints_complaint_change", args=[c.pk]) in table


def test_the_deadline_page_tells_its_events_in_words(
    new_complaint,  # noqa: F811
    walk,  # noqa: F811
    office_user,
):
    c = walk(new_complaint, S.HANDLING)
    handle = Deadline.objects.get(subject_id=c.pk, kind="complaint.handle")
    page = (
        login(office_user)
        .get(reverse("admin:timelimits_deadline_change", args=[handle.pk]))
        .content.decode()
    )
    text = _text(page)
    assert "开始计时：办理时限 15 个工作日，截止" in text
    assert "complaint.handle" not in text and c.tracking_no in text


@pytest.mark.parametrize("user", ["clerk_b"])
def test_another_agencys_clerk_does_not_see_the_clock(
    new_complaint,  # noqa: F811
    walk,  # noqa: F811
    request,
    user,
):
    c = walk(new_complaint, S.HANDLING)
    page = login(request.getfixturevalue(user)).get(DEADLINES).content.decode()
    assert c.tracking_no not in page
