"""答复审核 (review before reply): the rule table says which replies the office reads first; such a
reply waits as a draft until the office approves it (then it is sent as a direct reply is) or
returns it with a note the handler revises from; the preview is what the complainant reads."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent, ReplyDraft, ReplyReviewRule
from efficiency_portal.errors import ApplicationError
from organizations.models import AuditEvent
from tests.complaints.conftest import submit
from tests.complaints.public_helpers import citizen
from tests.conftest import login
from timelimits.models import Deadline, Notification

S, Outcome = Complaint.State, Complaint.Outcome
REPLY = "经核实，窗口人员未一次性告知，已责令其向您道歉。"


def act_url(c, name):
    return reverse("admin:complaints_complaint_act", args=[c.pk, name])


def concluded(walk, complaint, clerk, outcome=Outcome.FOUNDED) -> Complaint:
    c = walk(complaint, S.HANDLING)
    remedies = (
        []
        if outcome == Outcome.UNFOUNDED
        else [services.RemedySpec(kind="apology", against_agency=c.agency_accused)]
    )
    return services.complaint_conclude(
        complaint=c, actor=clerk, outcome=outcome, findings="情况属实。", remedies=remedies
    )


def reply_notices(c):
    return Notification.objects.filter(to_phone=c.complainant_phone, body__contains="已答复")


def reply_clock(c) -> Deadline:
    return Deadline.objects.filter(subject_id=c.pk, kind="complaint.reply").latest("id")


def test_a_reply_that_needs_review_is_not_sent_until_the_office_approves(
    new_complaint, walk, clerk_a, office_user
):
    c = concluded(walk, new_complaint, clerk_a)
    c = services.complaint_reply(complaint=c, actor=clerk_a, text=REPLY)
    c.refresh_from_db()
    assert c.state == S.CONCLUDED and c.reply_text == "" and c.public_reply == ""
    assert not reply_notices(c).exists()
    assert ReplyDraft.objects.get(complaint=c).status == ReplyDraft.Status.PENDING
    # The reply clock keeps running while the draft waits (the limit is to the complainant).
    assert reply_clock(c).stopped_at is None

    c = services.complaint_reply_approve(complaint=c, actor=office_user, note="同意")
    c.refresh_from_db()
    assert c.state == S.REPLIED and c.reply_text == REPLY and c.public_reply
    assert reply_notices(c).count() == 1
    assert reply_clock(c).stopped_at is not None
    draft = ReplyDraft.objects.get(complaint=c)
    assert (draft.status, draft.reviewed_by) == (ReplyDraft.Status.APPROVED, office_user)
    sent = ComplaintEvent.objects.get(complaint=c, verb="reply")
    assert sent.public_message == "承办单位已答复，请查看答复内容并评价。"
    assert sent.data == {"draft": draft.pk, "written_by": clerk_a.pk}


def test_a_returned_draft_keeps_its_note_and_the_handler_revises(
    new_complaint, walk, clerk_a, office_user
):
    c = concluded(walk, new_complaint, clerk_a, outcome=Outcome.PARTLY)
    services.complaint_reply(complaint=c, actor=clerk_a, text="已处理。")
    services.complaint_reply_return(complaint=c, actor=office_user, note="请写明整改措施和时间。")

    clerk = login(clerk_a)
    page = clerk.get(act_url(c, "reply")).content.decode()
    assert "请写明整改措施和时间。" in page  # the office's note, above the form
    assert "已处理。</textarea>" in page  # the form starts from the returned text
    assert (
        clerk.post(
            act_url(c, "reply"), {"text": "已处理：窗口人员书面检查，当日补办。"}
        ).status_code
        == 302
    )

    returned, revised = ReplyDraft.objects.filter(complaint=c).order_by("id")
    assert (returned.status, returned.text) == (ReplyDraft.Status.RETURNED, "已处理。")
    assert returned.review_note == "请写明整改措施和时间。"
    assert revised.status == ReplyDraft.Status.PENDING
    verbs = list(ComplaintEvent.objects.filter(complaint=c).values_list("verb", flat=True))
    assert verbs[-3:] == ["draft_reply", "return_reply", "draft_reply"]
    assert Notification.objects.filter(recipient=clerk_a, body="请写明整改措施和时间。").exists()


def test_a_reply_that_does_not_need_review_goes_out_directly(new_complaint, walk, clerk_a):
    c = concluded(walk, new_complaint, clerk_a, outcome=Outcome.UNFOUNDED)
    c = services.complaint_reply(complaint=c, actor=clerk_a, text="经核实，工作人员已按规定告知。")
    assert c.state == S.REPLIED
    assert not ReplyDraft.objects.filter(complaint=c).exists()
    assert reply_notices(c).count() == 1


def test_returning_a_draft_needs_a_note(new_complaint, walk, clerk_a, office_user):
    c = concluded(walk, new_complaint, clerk_a)
    services.complaint_reply(complaint=c, actor=clerk_a, text=REPLY)
    response = login(office_user).post(act_url(c, "review_reply"), {"approve": "0", "note": " "})
    assert response.status_code == 200
    assert "退回答复稿须写明修改意见。" in response.content.decode()
    assert ReplyDraft.objects.get(complaint=c).status == ReplyDraft.Status.PENDING


def test_the_writer_of_a_draft_does_not_approve_it(new_complaint, office_user, office_b):
    # The office handles this case itself (its own agency is the handling agency), so it may
    # write the reply; another member of it reviews.
    c = services.complaint_register(complaint=new_complaint, actor=office_user)
    c = services.complaint_plan(
        complaint=c,
        actor=office_user,
        routing=Complaint.Routing.SELF,
        agency=office_user.staff_profile.agency,
    )
    c = services.complaint_plan_approve(complaint=c, actor=office_b)
    c = services.complaint_sign_for(complaint=c, actor=office_user)
    c = services.complaint_conclude(
        complaint=c,
        actor=office_user,
        outcome=Outcome.FOUNDED,
        findings="属实。",
        remedies=[services.RemedySpec(kind="apology", against_agency=c.agency_accused)],
    )
    services.complaint_reply(complaint=c, actor=office_user, text=REPLY)
    with pytest.raises(ApplicationError) as refused:
        services.complaint_reply_approve(complaint=c, actor=office_user)
    assert refused.value.message == "拟稿人不能审核自己的答复稿，请由效能办其他人员审核。"
    assert services.complaint_reply_approve(complaint=c, actor=office_b).state == S.REPLIED


def test_a_clerk_cannot_approve_a_draft_nor_see_the_review_button(
    new_complaint, walk, clerk_a, office_user
):
    c = concluded(walk, new_complaint, clerk_a)
    services.complaint_reply(complaint=c, actor=clerk_a, text=REPLY)
    with pytest.raises(ApplicationError) as refused:
        services.complaint_reply_approve(complaint=c, actor=clerk_a)
    assert refused.value.message == "只有效能办（投诉中心）可以审核答复。"
    clerk = login(clerk_a)
    page = clerk.get(reverse("admin:complaints_complaint_change", args=[c.pk])).content.decode()
    # While the draft waits the handler has nothing to press: no second reply, no review.
    assert 'data-action="reply"' not in page and 'data-action="review_reply"' not in page
    assert clerk.get(act_url(c, "review_reply")).status_code == 404
    office = login(office_user).get(reverse("admin:complaints_complaint_change", args=[c.pk]))
    assert 'data-action="review_reply"' in office.content.decode()


def _reply_block(page: str) -> str:
    return re.search(r'id="reply-text">(.*?)</div>', page, re.S).group(1).strip()


def _frame(page: str) -> str:
    """The follow page shown in the preview's frame."""
    return html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))


def test_the_preview_equals_what_the_follow_page_shows(
    agency_a, attitude, centre, walk, clerk_a, office_user
):
    filed = submit(agency=agency_a, category=attitude)
    c = concluded(walk, filed.complaint, clerk_a)
    text = "经核实：\n窗口人员未一次性告知所需材料。\n已当面致歉并补办。"

    # The handler's preview button shows it and sends nothing.
    clerk = login(clerk_a)
    previewed = clerk.post(act_url(c, "reply"), {"text": text, "_preview": "1"})
    assert previewed.status_code == 200 and not ReplyDraft.objects.filter(complaint=c).exists()
    services.complaint_reply(complaint=c, actor=clerk_a, text=text)

    review = login(office_user).get(act_url(c, "review_reply")).content.decode()
    frame = _frame(review)
    notice = html.unescape(re.search(r'id="preview-notice">(.*?)</p>', review, re.S).group(1))
    assert _reply_block(frame) == _reply_block(_frame(previewed.content.decode()))
    assert "<p>经核实：<br>窗口人员未一次性告知所需材料。<br>已当面致歉并补办。</p>" in frame
    assert "核查结论：成立" in frame

    services.complaint_reply_approve(complaint=c, actor=office_user)
    follow = citizen().post(
        reverse("complaints:follow"),
        {"tracking_no": c.tracking_no, "query_code": filed.query_code},
        follow=True,
    )
    assert _reply_block(follow.content.decode()) == _reply_block(frame)
    assert reply_notices(c).get().body == notice


def test_the_rule_table_is_data_edited_with_an_audit_row(
    new_complaint, walk, clerk_a, office_user, attitude
):
    founded = ReplyReviewRule.objects.get(category=None, outcome=Outcome.FOUNDED)
    assert founded.review_required  # the seeded default
    client = login(office_user)
    url = reverse("admin:complaints_replyreviewrule_change", args=[founded.pk])
    response = client.post(url, {"category": "", "outcome": "founded", "note": "试行：直接答复"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    row = AuditEvent.objects.get(verb="complaints.reply_review_rule.update")
    assert row.actor == office_user
    assert row.data["changes"]["review_required"] == [True, False]

    c = concluded(walk, new_complaint, clerk_a)
    assert services.complaint_reply(complaint=c, actor=clerk_a, text=REPLY).state == S.REPLIED


def test_a_category_rule_overrides_the_rule_for_all(
    new_complaint, walk, clerk_a, office_user, attitude
):
    services.configuration.reply_review_rule_save(
        actor=office_user, rule=None, category=attitude, outcome="", review_required=True
    )
    c = concluded(walk, new_complaint, clerk_a, outcome=Outcome.UNFOUNDED)
    assert services.complaint_reply(complaint=c, actor=clerk_a, text=REPLY).state == S.CONCLUDED
    assert AuditEvent.objects.filter(verb="complaints.reply_review_rule.create").count() == 1


def test_a_second_rule_for_the_same_category_and_outcome_is_refused(office_user):
    with pytest.raises(ApplicationError) as refused:
        services.configuration.reply_review_rule_save(
            actor=office_user, rule=None, category=None, outcome="founded", review_required=False
        )
    assert refused.value.message == "该类别和核查结论已有一条规则，请修改那一条。"


def test_a_clerk_cannot_edit_the_rule_table(clerk_a):
    rule = ReplyReviewRule.objects.get(category=None, outcome=Outcome.FOUNDED)
    client = login(clerk_a)
    url = reverse("admin:complaints_replyreviewrule_change", args=[rule.pk])
    assert client.post(url, {"outcome": "founded"}).status_code == 403
    assert ReplyReviewRule.objects.get(pk=rule.pk).review_required
