"""The reply screens of a case (答复 · 答复审核): what the handler and the office see beside the form.

* The handler's reply form starts from the draft the office returned last, with its note
  on top, and says whether the reply goes to the office first (the rule table). Its
  "预览" button shows, without sending anything, what the complainant will read.
* The office's review form shows the waiting draft and the same preview.

The preview is ``complaints.replies``: the SMS / e-mail text the sending step uses, the
timeline line it adds, and the follow page rendered by the follow page's own code.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from common.admin import ReadOnlyInline
from complaints import replies, services
from complaints.models import Complaint, ReplyDraft


def reply_initial(complaint: Complaint) -> dict:
    returned = replies.last_returned(complaint)
    return {"text": returned.text} if returned else {}


def reply_context(request, complaint: Complaint, form) -> dict:
    text = ""
    if form.is_bound and "_preview" in request.POST and form.is_valid():
        text = form.cleaned_data["text"]
    return {
        "reply_screen": True,
        "review_required": replies.review_required(complaint),
        "returned": replies.last_returned(complaint),
        "preview": _preview(request, complaint, text) if text else None,
    }


def review_context(request, complaint: Complaint, form) -> dict:
    draft = replies.pending_draft(complaint)
    return {
        "draft": draft,
        "preview": _preview(request, complaint, draft.text) if draft else None,
    }


def reply_run(complaint: Complaint, user, data) -> str | None:
    answered = services.complaint_reply(complaint=complaint, actor=user, text=data["text"])
    if answered.state == Complaint.State.CONCLUDED:
        return _("答复稿已提交，效能办审核同意后发给投诉人")
    return None


def review_run(complaint: Complaint, user, data) -> None:
    if data["approve"]:
        services.complaint_reply_approve(complaint=complaint, actor=user, note=data["note"])
    else:
        services.complaint_reply_return(complaint=complaint, actor=user, note=data["note"])


def _preview(request, complaint: Complaint, text: str) -> dict:
    page = replies.follow_page_preview(request, complaint, text=text, at=timezone.now())
    return {
        "text": text,
        "timeline": replies.public_message(),
        "notice": replies.notice_message(complaint)
        if complaint.complainant_phone or complaint.complainant_email
        else "",
        "page": page,
    }


class ReplyDraftInline(ReadOnlyInline):
    """答复稿 on the case page: every version the office reviewed or is reviewing, with its note."""

    model = ReplyDraft
    fields = (
        "round_no",
        "status",
        "text",
        "written_by",
        "written_at",
        "reviewed_by",
        "reviewed_at",
        "review_note",
    )
    readonly_fields = fields
