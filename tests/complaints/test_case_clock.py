"""The case page shows its clock (step, light, due time, time left) and the history of every
clock in words; the timeline shows labels and staff names, never codes."""

from __future__ import annotations

import re

from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from tests.conftest import login

S = Complaint.State


def _page(user, c) -> str:
    response = login(user).get(reverse("admin:complaints_complaint_change", args=[c.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _panel(page: str) -> str:
    start = page.index('id="complaint-clock"')
    return page[start : page.index("</fieldset>", start)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_case_page_shows_the_current_step_its_light_due_time_and_time_left(
    new_complaint, walk, clerk_a
):
    c = walk(new_complaint, S.HANDLING)
    panel = _text(_panel(_page(clerk_a, c)))
    assert "当前环节" in panel and "办理中 · 办理时限" in panel and "绿灯" in panel
    assert "截止" in panel and re.search(r"剩 \d+ 个工作日", panel)


def test_the_clock_history_tells_every_clock_in_words(new_complaint, walk, clerk_a, office_user):
    c = walk(new_complaint, S.HANDLING)
    extension = services.complaint_request_extension(
        complaint=c, actor=clerk_a, reason="需现场核查"
    )
    services.complaint_decide_extension(request=extension, actor=office_user, approve=True)
    panel = _text(_panel(_page(clerk_a, c)))
    assert re.search(
        r"\d+月\d+日 \d\d:\d\d 开始计时：受理时限 3 个工作日，截止 \d+月\d+日 17:30", panel
    )
    assert "结束计时：受理时限按时办结" in panel
    assert "开始计时：签收时限 1 个工作日" in panel
    assert "结束计时：签收时限按时办结" in panel
    assert "开始计时：办理时限 15 个工作日" in panel
    assert "延期：办理时限延长 15 个工作日（赵效能批准" in panel
    assert "转交责任人：办理时限由" in panel and "张承办" in panel


def test_the_timeline_shows_labels_and_names_never_codes(new_complaint, walk, office_user):
    c = walk(new_complaint, S.CONCLUDED)
    page = _page(office_user, c)
    for code in ("approve_plan", "sign_for", "complaint.reply", "complaint.handle", "routed"):
        assert code not in _text(page), code
    assert "approve_plan" not in page and "complaint.reply" not in page
    for label in ("审批办理方式", "签收", "答复时限", "待签收 → 办理中", "赵效能", "张承办"):
        assert label in page, label


def test_the_case_page_names_staff_not_their_accounts(
    new_complaint, walk, clerk_a, office_user, office_b
):
    c = walk(new_complaint, S.HANDLING)
    extension = services.complaint_request_extension(
        complaint=c, actor=clerk_a, reason="需现场核查"
    )
    services.complaint_decide_extension(request=extension, actor=office_user, approve=True)
    page = _page(office_b, c)  # a colleague reads it: the page names the others
    for account in (clerk_a.username, office_user.username):
        assert not re.search(rf"\b{account}\b", page), account
    assert "张承办" in page and "赵效能" in page
