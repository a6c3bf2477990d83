"""The complainant's own steps: add material while the case is open (补充材料); after the
reply, rate it (满意/基本满意/不满意, once a round) and, when dissatisfied, ask once for the
case to be handled again (重新办理).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from complaints import clocks, notices, steps
from complaints.files import check_uploads
from complaints.models import ROUND_FIELDS, Attachment, Complaint, ComplaintEvent, HandlingRound
from complaints.workflow import OPEN_STATES
from efficiency_portal.errors import ApplicationError

S = Complaint.State
SUPPLEMENT_MAX_LENGTH = 2000


def complaint_add_material(
    *, complaint: Complaint, text: str = "", files: Iterable = (), submission_key: str = ""
) -> ComplaintEvent:
    """补充材料: the complainant (who proved the query code) adds text and/or files.

    1. refuse once the case is no longer open (concluded, answered, closed, merged,
       refused): the handler has nothing left to weigh it in;
    2. check the text and the files as intake does (``check_uploads``); the files of a
       case, filed and added, stay within ``COMPLAINTS_ATTACHMENT_MAX_COUNT``;
    3. store the files (removed again if the transaction does not commit), and append a
       "supplement" event: the text for staff as its note and, in its data, for the
       complainant's own page; the public timeline only says that material was added;
    4. tell whoever must read it: the responsible clerk (首问负责人 or the signer), the
       handling agency while it has yet to sign for it, the complaint centre before
       anyone is responsible.

    The same ``submission_key`` adds once (a double click): checked under the case's row
    lock, so a second post waits for the first and then finds its event.
    """
    text = (text or "").strip()
    uploads = list(files or [])
    if not text and not uploads:
        raise ApplicationError(
            _("请填写补充说明或选择要补充的附件。"), code="required", field="text"
        )
    if len(text) > SUPPLEMENT_MAX_LENGTH:
        raise ApplicationError(
            _("补充说明不能超过 %(most)d 个字（现有 %(n)d 个）。")
            % {"most": SUPPLEMENT_MAX_LENGTH, "n": len(text)},
            code="too_long",
            field="text",
        )
    stored: list[Attachment] = []
    try:
        with transaction.atomic(durable=True):
            transaction.on_commit(stored.clear)  # committed: the files are the case's
            complaint = steps.lock(complaint)
            key = (submission_key or "")[:64]
            earlier = key and complaint.events.filter(verb="supplement", data__key=key).first()
            if earlier:
                return earlier
            _ensure_open_for_material(complaint)
            already = complaint.attachments.filter(kind=Attachment.Kind.MATERIAL).count()
            most = settings.COMPLAINTS_ATTACHMENT_MAX_COUNT
            if uploads and already + len(uploads) > most:
                raise ApplicationError(
                    _("本投诉已有 %(n)d 个附件，最多 %(most)d 个，还可以补充 %(left)d 个。")
                    % {"n": already, "most": most, "left": max(most - already, 0)},
                    code="too_many_files",
                    field="attachments",
                )
            checked = check_uploads(uploads, field="attachments")
            for item in checked:
                stored.append(
                    Attachment.objects.create(
                        complaint=complaint,
                        kind=Attachment.Kind.MATERIAL,
                        file=ContentFile(item.content, name=item.name),
                        original_name=item.name,
                        content_type=item.content_type,
                        size=item.size,
                        sha256=item.sha256,
                        note="补充材料",  # data, not a label: the same in every language
                    )
                )
            names = [a.original_name for a in stored]
            event = steps.event(
                complaint,
                verb="supplement",
                public=_("投诉人补充了材料。"),
                note=text,
                data={
                    "text": text,
                    "files": names,
                    "attachments": [a.pk for a in stored],
                    "key": key,
                },
            )
            _tell_about_material(complaint, text=text, names=names, event=event)
    except BaseException:
        for attachment in stored:  # not committed: no file of it stays behind
            attachment.file.delete(save=False)
        raise
    return event


def _ensure_open_for_material(complaint: Complaint) -> None:
    if complaint.state in OPEN_STATES:
        return
    if complaint.state == S.MERGED:
        message = _("投诉 %(no)s 已合并办理，请在合并后的投诉中补充材料。")
    elif complaint.state == S.REJECTED:
        message = _("投诉 %(no)s 不予受理，不能补充材料。")
    else:
        message = _(
            "投诉 %(no)s 已办结（%(state)s），不能再补充材料。"
            "如对答复不满意，可以在评价时选择“不满意”并申请重新办理。"
        )
    raise ApplicationError(
        message % {"no": complaint.tracking_no, "state": complaint.get_state_display()},
        code="closed",
        field="state",
    )


def _tell_about_material(complaint: Complaint, *, text: str, names: list[str], event) -> None:
    subject = notices.text(N_("投诉人对投诉 %(no)s 补充了材料"), no=complaint.tracking_no)
    body = "\n".join(filter(None, [text, "、".join(names)]))
    key = f"supplement:{event.pk}"
    if complaint.responsible_id:
        notices.to_staff(
            complaint.responsible, complaint=complaint, subject=subject, body=body, key=key
        )
    if complaint.state == S.ROUTED:  # routed, not yet signed for: the agency's heads too
        notices.to_agency(
            complaint.handling_agency, complaint=complaint, subject=subject, body=body, key=key
        )
    elif not complaint.responsible_id:  # not registered yet: the complaint centre
        notices.to_agency(
            clocks.office_agency(complaint),
            complaint=complaint,
            subject=subject,
            body=body,
            key=key,
        )


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: str, comment: str = "") -> Complaint:
    """The complainant rates the outcome (满意 / 基本满意 / 不满意), once; the caller checked the code."""
    if rating not in Complaint.Rating.values:
        raise ApplicationError(_("请选择评价。"), code="invalid", field="rating")
    complaint = steps.lock(complaint)
    steps.workflow.ensure_allowed("rate", complaint)
    if complaint.citizen_rating:  # once per round: a reopen starts a round without one
        raise ApplicationError(_("您已评价过该投诉。"), code="already_rated", field="rating")
    complaint = steps.move(
        complaint,
        action="rate",
        public=_("投诉人评价：%(rating)s。") % {"rating": Complaint.Rating(rating).label},
        data={"rating": rating},
        citizen_rating=rating,
        citizen_comment=comment.strip()[:500],
        rated_at=steps.now(),
    )
    if rating == Complaint.Rating.DISSATISFIED:
        notices.to_staff(
            complaint.first_receiver,
            complaint=complaint,
            subject=notices.text(
                N_("投诉人对投诉 %(no)s 的办理结果不满意"), no=complaint.tracking_no
            ),
            body=comment,
            key=f"dissatisfied:{complaint.version}",
        )
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str = "", actor=None) -> Complaint:
    """On 不满意, the complainant (or the office for them) may have the case handled again, once.

    1. refuse unless the complainant rated this round 不满意 and the case was never reopened;
    2. cancel the reply and callback clocks;
    3. move the case back to handling as round ``round_no + 1``, its round fields cleared;
    4. keep the round that ends, as it was, in a ``HandlingRound`` row;
    5. start a new handling clock and tell the responsible clerk.
    """
    complaint = steps.lock(complaint)
    steps.workflow.ensure_allowed("reopen", complaint)
    if complaint.reopened_at is not None:
        raise ApplicationError(
            _("每件投诉只能申请重新办理一次。"), code="reopen_once", field="reason"
        )
    if complaint.citizen_rating != Complaint.Rating.DISSATISFIED:
        raise ApplicationError(
            _("只有评价为“不满意”时才能申请重新办理。"), code="not_dissatisfied", field="reason"
        )
    reason = (reason or "").strip()
    for kind in (clocks.REPLY, clocks.CALLBACK):
        clocks.stop(complaint, kind, actor=actor, cancel=True)
    ended = {name: getattr(complaint, name) for name in ROUND_FIELDS}
    ended_no, now = complaint.round_no, steps.now()
    complaint = steps.move(
        complaint,
        action="reopen",
        actor=actor,
        public=_("已按您的要求重新办理。"),
        note=reason,
        data={"round": ended_no + 1},
        reopened_at=now,
        round_no=ended_no + 1,
        **{name: Complaint._meta.get_field(name).get_default() for name in ROUND_FIELDS},
    )
    HandlingRound.objects.create(
        complaint=complaint,
        number=ended_no,
        reopened_at=now,
        reopened_by=actor if actor is not None and actor.is_authenticated else None,
        reopen_reason=reason,
        **ended,
    )
    clocks.start(
        complaint,
        clocks.HANDLE,
        agency=complaint.handling_agency,
        responsible=complaint.responsible,
    )
    notices.to_staff(
        complaint.responsible,
        complaint=complaint,
        subject=notices.text(N_("投诉 %(no)s 因投诉人不满意重新办理"), no=complaint.tracking_no),
        body=reason,
        key="reopened",
    )
    return complaint
