"""The reply to the complainant: what they read, and whether the office reads it first.

One source for the wording, used by the step that sends the reply
(``complaint_reply`` / ``complaint_reply_approve``) and by the staff's preview, so the
preview cannot drift from what is sent:

* ``public_message``  — the line the follow page's timeline gains (办理经过);
* ``notice_message`` — the SMS / e-mail text (sent by ``notices.to_complainant``);
* ``follow_page_preview`` — the follow page itself, rendered by the follow page's own view
  code for the case as it will be once answered with the text, never saved.

``review_required`` reads the rule table (``ReplyReviewRule``): the most specific row
for the case's category and outcome decides (category and outcome, then category, then
outcome, then the row for all); with no row at all the reply goes out directly.
"""

from __future__ import annotations

import copy

from django.db.models import Q
from django.utils.translation import gettext as _

from complaints import notices
from complaints.models import Complaint, ReplyDraft, ReplyReviewRule


def public_message() -> str:
    return _("承办单位已答复，请查看答复内容并评价。")


def notice_message(complaint: Complaint) -> str:
    return _("您的投诉 %(no)s 已答复，请凭编号和查询码查看并评价：%(url)s") % {
        "no": complaint.tracking_no,
        "url": notices.follow_url(complaint),
    }


def review_required(complaint: Complaint) -> bool:
    """Whether the reply to ``complaint`` (its category and current outcome) is reviewed first."""
    rules = ReplyReviewRule.objects.filter(
        Q(category__isnull=True) | Q(category_id=complaint.category_id),
        outcome__in=[complaint.outcome or "", ""],
    )

    def specificity(rule: ReplyReviewRule) -> tuple[bool, bool]:
        return (rule.category_id is not None, bool(rule.outcome))

    best = max(rules, key=specificity, default=None)
    return bool(best and best.review_required)


def pending_draft(complaint: Complaint) -> ReplyDraft | None:
    return complaint.reply_drafts.filter(status=ReplyDraft.Status.PENDING).first()


def last_returned(complaint: Complaint) -> ReplyDraft | None:
    """The draft of the current round the office returned last (its note is for the handler)."""
    return (
        complaint.reply_drafts.filter(
            status=ReplyDraft.Status.RETURNED, round_no=complaint.round_no
        )
        .order_by("-reviewed_at", "-id")
        .first()
    )


def as_answered(complaint: Complaint, *, text: str, at) -> Complaint:
    """An unsaved copy of ``complaint`` as the reply step leaves it (for the preview only)."""
    answered = copy.copy(complaint)
    answered.state = Complaint.State.REPLIED
    answered.reply_text = text
    answered.replied_at = at
    return answered


def follow_page_preview(request, complaint: Complaint, *, text: str, at) -> str:
    """The follow page's HTML as the complainant will see it once ``text`` is sent.

    Rendered by the follow page's own code (``complaints.pages.follow``) on an unsaved
    copy, so its template, its reply block and whatever it shows beside them are the
    ones the citizen gets. Reads only; nothing is written.
    """
    from complaints.pages import follow  # the page imports services; keep this module light

    response = follow._page(request, as_answered(complaint, text=text, at=at))
    return response.content.decode()
