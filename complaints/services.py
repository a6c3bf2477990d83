"""The life of a complaint (效能投诉), top to bottom. Every state change is one function here.

    complaint_submit            citizen files (idempotent on a submission key)      → submitted
    complaint_register          office accepts (登记受理); 首问负责人 recorded       → registered
    complaint_reject            office refuses with a reason, filed for review (否定报备) → rejected
    complaint_review_rejection  office reviews the filing: upheld, or overturned     → registered
    complaint_plan              office proposes 自办/转办/联办 and the agency (呈批)  → planned
    complaint_plan_approve      office approves (→ routed) or sends the plan back   → routed / registered
    complaint_sign_for          handling agency signs for; responsibility passes     → handling
    complaint_return            handling agency returns a wrongly routed case (≤ policy window) → registered
    complaint_add_evidence      handling agency uploads evidence                     (handling)
    complaint_request_extension handling agency asks for more time (once)            (handling)
    complaint_decide_extension  office approves or refuses                           (handling)
    complaint_supervise         office presses the agency (督办)                      (any open state)
    complaint_conclude          outcome 不成立/部分成立/成立 + remedies              → concluded
    complaint_reply             reply to the complainant                             → replied
    complaint_callback          office calls back and records satisfaction (回访)    → called_back
    complaint_close             office files the case                                → closed
    complaint_rate              complainant rates 满意/基本满意/不满意              (replied…closed)
    complaint_reopen            on 不满意, once: back to the handling agency        → handling
    complaint_merge / complaint_unmerge   duplicates (complaints.merging)           → merged / back
    complaint_reveal_identity   open the full record with a reason (complaints.privacy)

Steps 1–4 are below; the story goes on in ``services_handling`` (evidence,
extension, 督办) and ``services_outcome`` (conclude → close, rate, reopen), both
re-exported here, so callers import every step from ``complaints.services``.

Each step: one transaction; the row locked and its state compared-and-set
(``complaints.steps``); the transition table (``complaints.workflow``) refuses
illegal moves; a timeline event; its clocks started/stopped on the deadline
engine (``complaints.clocks``); notices written to the outbox or sent on commit
(``complaints.notices``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import clocks, notices, numbers, steps
from complaints.files import CheckedFile, check_uploads
from complaints.intake_checks import check_phone_and_email, clean_contact
from complaints.merging import complaint_merge, complaint_unmerge
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintCategory,
    RejectionFiling,
)
from complaints.privacy import complaint_reveal_identity
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency
from timelimits import versions

__all__ = [
    "RemedySpec",
    "Submitted",
    "complaint_add_evidence",
    "complaint_callback",
    "complaint_close",
    "complaint_conclude",
    "complaint_decide_extension",
    "complaint_merge",
    "complaint_plan",
    "complaint_plan_approve",
    "complaint_rate",
    "complaint_register",
    "complaint_reject",
    "complaint_reopen",
    "complaint_reply",
    "complaint_request_extension",
    "complaint_return",
    "complaint_reveal_identity",
    "complaint_review_rejection",
    "complaint_sign_for",
    "complaint_submit",
    "complaint_supervise",
    "complaint_unmerge",
]

S = Complaint.State


# --- 1. Intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    query_code: str  # shown once; only its hash is stored
    expected_by: dt.date  # expected completion: acceptance + handling limits from the policies
    created: bool  # False when the same submission key was seen before (a double click)


def complaint_submit(
    *,
    category: ComplaintCategory,
    agency_accused: Agency,
    title: str,
    description: str,
    anonymous: bool,
    consent_share_identity: bool = False,
    complainant_name: str = "",
    complainant_phone: str = "",
    complainant_id_number: str = "",
    complainant_email: str = "",
    accused_person: str = "",
    files: Iterable = (),
    submission_key: str | None = None,
    channel: str = "web",
) -> Submitted:
    """File a complaint (web form, REST API, Open311). The same ``submission_key`` files once.

    1. Check every field and file before anything is written (``_checked_fields``,
       ``check_uploads``): a bad one is an ``ApplicationError`` naming its field.
    2. File it in one transaction (``_file``): the complaint with the next tracking
       number, its files, the "submitted" event, the accept clock on the deadline
       engine, and the receipt (number, query code, expected date) to the complainant.
    3. A submission key filed before is refused by its unique index when the complaint
       is inserted: nothing of this attempt is kept, and the first filing is answered
       again — its number, and the same query code (derived from the key).
    """
    fields = _checked_fields(
        category=category,
        agency_accused=agency_accused,
        title=title,
        description=description,
        anonymous=anonymous,
        consent_share_identity=consent_share_identity,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        complainant_id_number=complainant_id_number,
        complainant_email=complainant_email,
        accused_person=accused_person,
        channel=channel,
    )
    checked = check_uploads(files)
    key_hash = numbers.hash_submission_key(submission_key) if submission_key else ""
    query_code = numbers.new_query_code(submission_key=submission_key)
    try:
        complaint, expected_by = _file(
            fields=fields, files=checked, key_hash=key_hash, query_code=query_code
        )
    except IntegrityError as exc:
        if not key_hash or "complaint_submission_once" not in str(exc):
            raise
        return _replayed(key_hash=key_hash, query_code=query_code)
    return Submitted(
        complaint=complaint, query_code=query_code, expected_by=expected_by, created=True
    )


def _checked_fields(
    *,
    category: ComplaintCategory,
    agency_accused: Agency,
    title: str,
    description: str,
    anonymous: bool,
    consent_share_identity: bool,
    complainant_name: str,
    complainant_phone: str,
    complainant_id_number: str,
    complainant_email: str,
    accused_person: str,
    channel: str,
) -> dict:
    """The checked fields of a new complaint; ``ApplicationError`` names the first bad one."""
    if not category.is_active:
        raise ApplicationError(_("请选择有效的投诉类别。"), code="invalid", field="category")
    if not agency_accused.is_active:
        raise ApplicationError(
            _("请选择有效的被投诉单位。"), code="invalid", field="agency_accused"
        )
    title = steps.require_text(title, field="title", message=_("请填写投诉标题。"), max_length=100)
    description = steps.require_text(
        description, field="description", message=_("请描述投诉事项。"), max_length=5000
    )
    name, phone, id_number, email = clean_contact(
        anonymous=anonymous,
        name=complainant_name,
        phone=complainant_phone,
        id_number=complainant_id_number,
        email=complainant_email,
    )
    check_phone_and_email(phone, email)
    return {
        "category": category,
        "agency_accused": agency_accused,
        "title": title,
        "description": description,
        "accused_person": accused_person.strip()[:60],
        "anonymous": anonymous,
        "consent_share_identity": consent_share_identity and not anonymous,
        "complainant_name": name,
        "complainant_phone": phone,
        "complainant_id_number": id_number,
        "complainant_email": email,
        "is_urgent": category.is_urgent,
        "channel": channel[:20],
    }


def _file(
    *, fields: dict, files: Sequence[CheckedFile], key_hash: str, query_code: str
) -> tuple[Complaint, dt.date]:
    """Write a checked complaint and everything filing it means, in one transaction.

    1. Take the next tracking number and insert the complaint (a repeated
       submission key fails here, before anything else is written).
    2. Store its files and insert their rows; the "submitted" event; the accept
       clock (the policies and calendar read once: ``versions.pinned``); the
       receipt to the complainant in the outbox.
    3. If the transaction does not commit (a repeated key, any error, a failed
       COMMIT), delete the files stored in step 2: storage holds the files of
       committed filings only. They are stored before the commit, not after it,
       so a committed complaint never lacks a file its complainant uploaded.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic(durable=True), versions.pinned():
            # The first commit hook: once committed, the files are the filing's, even if
            # a later hook raises out of this block.
            transaction.on_commit(stored.clear)
            now = timezone.now()
            complaint = Complaint.objects.create(
                tracking_no=numbers.next_tracking_no(year=timezone.localdate(now).year),
                query_code_hash=numbers.hash_query_code(query_code),
                submission_key_hash=key_hash,
                submitted_at=now,
                **fields,
            )
            for item in files:
                attachment = Attachment(
                    complaint=complaint,
                    kind=Attachment.Kind.MATERIAL,
                    original_name=item.name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                )
                attachment.file.save(item.name, ContentFile(item.content), save=False)
                stored.append(attachment)
            Attachment.objects.bulk_create(stored)
            steps.event(
                complaint,
                verb="submit",
                to_state=S.SUBMITTED,
                public=_("投诉已提交，等待投诉中心登记。"),
                data={"files": len(files), "channel": complaint.channel},
            )
            accept = clocks.start(
                complaint, clocks.ACCEPT, agency=clocks.office_agency(complaint), at=now
            )
            expected_by = clocks.expected_completion(complaint, accept_due=accept.due_at)
            notices.to_complainant(
                complaint,
                message=_receipt_message(
                    no=complaint.tracking_no, code=query_code, expected_by=expected_by
                ),
            )
    except BaseException:
        for attachment in stored:  # not committed: no file of it stays behind
            attachment.file.delete(save=False)
        raise
    return complaint, expected_by


def _receipt_message(*, no: str, code: str, expected_by: dt.date) -> str:
    return _(
        "您的效能投诉已提交，编号 %(no)s，查询码 %(code)s（请妥善保存），预计 %(date)s 前办结。"
    ) % {"no": no, "code": code, "date": expected_by.isoformat()}


def _replayed(*, key_hash: str, query_code: str) -> Submitted:
    """The answer to a submission key filed before: the first filing, its code and date."""
    complaint = Complaint.objects.get(submission_key_hash=key_hash)
    accept = clocks.engine.deadline_current(subject=complaint, kind=clocks.ACCEPT)
    return Submitted(
        complaint=complaint,
        query_code=query_code,  # derived from the key: the code the first answer gave
        expected_by=clocks.expected_completion(
            complaint, accept_due=accept.due_at if accept else complaint.submitted_at
        ),
        created=False,
    )


# --- 2. Registration (登记受理) or refusal (否定报备) ----------------------------------------


@transaction.atomic
def complaint_register(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """Accept the complaint. The registering staff member becomes its 首问负责人."""
    steps.require_office(actor, "register")
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="register",
        actor=actor,
        public=_("投诉中心已登记受理您的投诉。"),
        note=note,
        registered_at=steps.now(),
        first_receiver=complaint.first_receiver or actor,
        responsible=complaint.first_receiver or actor,
    )
    clocks.stop(complaint, clocks.ACCEPT, actor=actor)
    notices.to_complainant(
        complaint, message=_("您的投诉 %(no)s 已受理。") % {"no": complaint.tracking_no}
    )
    return complaint


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Refuse the complaint; the refusal and its reason are filed for the office's review."""
    steps.require_office(actor, "reject")
    reason = steps.require_text(reason, field="reason", message=_("不予受理必须说明理由。"))
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="reject",
        actor=actor,
        public=_("您的投诉不属于效能投诉受理范围：%(reason)s") % {"reason": reason},
        note=reason,
        first_receiver=complaint.first_receiver or actor,
    )
    RejectionFiling.objects.create(complaint=complaint, reason=reason, rejected_by=actor)
    clocks.stop(complaint, clocks.ACCEPT, actor=actor)
    notices.to_complainant(
        complaint,
        message=_("您的投诉 %(no)s 未予受理，理由：%(reason)s")
        % {"no": complaint.tracking_no, "reason": reason},
    )
    return complaint


@transaction.atomic
def complaint_review_rejection(
    *, complaint: Complaint, actor, overturn: bool, note: str = ""
) -> Complaint:
    """The office reviews a 否定报备: upheld stays rejected; overturned is registered after all."""
    steps.require_office(actor, "overturn_rejection")
    complaint = steps.lock(complaint)
    filing = RejectionFiling.objects.select_for_update().get(complaint=complaint)
    if filing.review != RejectionFiling.Review.PENDING:
        raise ApplicationError(_("该否定报备已审查。"), code="already_reviewed")
    if filing.rejected_by_id == actor.pk:
        raise ApplicationError(_("否定报备须由他人审查，不能审查自己的决定。"), code="own_decision")
    filing.review = RejectionFiling.Review.OVERTURNED if overturn else RejectionFiling.Review.UPHELD
    filing.reviewed_by, filing.reviewed_at, filing.review_note = actor, steps.now(), note
    filing.save()
    if not overturn:
        steps.event(complaint, verb="rejection_upheld", actor=actor, note=note)
        return complaint
    complaint = steps.move(
        complaint,
        action="overturn_rejection",
        actor=actor,
        public=_("经复核，您的投诉已予受理。"),
        note=note,
        registered_at=steps.now(),
        responsible=actor,
    )
    notices.to_complainant(
        complaint, message=_("经复核，您的投诉 %(no)s 已受理。") % {"no": complaint.tracking_no}
    )
    return complaint


# --- 3. Handling plan (呈批: 自办 / 转办 / 联办) ------------------------------------------------


@transaction.atomic
def complaint_plan(
    *,
    complaint: Complaint,
    actor,
    routing: str,
    agency: Agency,
    joint_agencies: Sequence[Agency] = (),
    note: str = "",
) -> Complaint:
    """Propose who handles the case and how; the plan waits for the office's approval."""
    steps.require_office(actor, "plan")
    if routing not in Complaint.Routing.values:
        raise ApplicationError(_("请选择办理方式。"), code="invalid", field="routing")
    if routing == Complaint.Routing.JOINT and not joint_agencies:
        raise ApplicationError(
            _("联办须指定至少一个协办单位。"), code="required", field="joint_agencies"
        )
    complaint = steps.lock(complaint)
    complaint = steps.move(
        complaint,
        action="plan",
        actor=actor,
        note=note,
        data={"routing": routing, "agency": agency.pk},
        plan_routing=routing,
        plan_agency=agency,
        plan_note=note,
    )
    complaint.joint_agencies.set(joint_agencies if routing == Complaint.Routing.JOINT else [])
    return complaint


@transaction.atomic
def complaint_plan_approve(
    *, complaint: Complaint, actor, approve: bool = True, note: str = ""
) -> Complaint:
    """Approve the plan: the case is routed and its sign-for and handling clocks start."""
    steps.require_office(actor, "approve_plan")
    complaint = steps.lock(complaint)
    if not approve:
        return steps.move(
            complaint, action="send_back_plan", actor=actor, note=note, plan_routing=""
        )
    agency = complaint.plan_agency
    now = steps.now()
    complaint = steps.move(
        complaint,
        action="approve_plan",
        actor=actor,
        public=_("投诉已交%(agency)s办理。") % {"agency": agency.name},
        note=note,
        data={"routing": complaint.plan_routing, "agency": agency.pk},
        routing=complaint.plan_routing,
        handling_agency=agency,
        routed_at=now,
        return_due_at=clocks.window_end(clocks.RETURN_WINDOW, start=now),
    )
    # 首问负责: the first receiver stays responsible until the agency signs for the case.
    clocks.start(complaint, clocks.SIGN_FOR, agency=agency, responsible=complaint.responsible)
    clocks.start(complaint, clocks.HANDLE, agency=agency, responsible=complaint.responsible)
    notices.to_agency(
        agency,
        complaint=complaint,
        subject=_("新交办效能投诉 %(no)s，请签收") % {"no": complaint.tracking_no},
        key=f"routed:{complaint.version}",
    )
    return complaint


# --- 4. Sign-for (签收, 首问负责) or return (退回) ------------------------------------------------


@transaction.atomic
def complaint_sign_for(*, complaint: Complaint, actor) -> Complaint:
    """The handling agency signs for the case; from now on the signer is responsible."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "sign_for")
    complaint = steps.move(
        complaint,
        action="sign_for",
        actor=actor,
        public=_("承办单位已签收，正在调查核实。"),
        data={"handed_over_by": complaint.responsible_id},
        signed_at=steps.now(),
        responsible=actor,
    )
    clocks.stop(complaint, clocks.SIGN_FOR, actor=actor)
    clocks.reassign(complaint, clocks.HANDLE, responsible=actor, actor=actor)
    notices.to_staff(
        complaint.first_receiver,
        complaint=complaint,
        subject=_("投诉 %(no)s 已由承办单位签收") % {"no": complaint.tracking_no},
        key=f"signed:{complaint.version}",
    )
    return complaint


@transaction.atomic
def complaint_return(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """Send a wrongly routed case back to the office, within the policy's return window."""
    complaint = steps.lock(complaint)
    steps.require_handler(actor, complaint, "return")
    reason = steps.require_text(reason, field="reason", message=_("退回必须说明理由。"))
    steps.workflow.ensure_allowed("return", complaint)
    if complaint.return_due_at is None or steps.now() > complaint.return_due_at:
        raise ApplicationError(
            _("已超过退回期限（%(due)s），不能退回，请继续办理或申请延期。")
            % {"due": timezone.localtime(complaint.return_due_at).strftime("%Y-%m-%d %H:%M")},
            code="return_window_passed",
            field="reason",
        )
    agency = complaint.handling_agency
    complaint = steps.move(
        complaint,
        action="return",
        actor=actor,
        note=reason,
        data={"agency": agency.pk},
        handling_agency=None,
        routing="",
        plan_routing="",
        routed_at=None,
        signed_at=None,
        return_due_at=None,
        responsible=complaint.first_receiver,  # back to the 首问负责人 until re-routed
    )
    clocks.stop(complaint, clocks.SIGN_FOR, actor=actor, cancel=True)
    clocks.stop(complaint, clocks.HANDLE, actor=actor, cancel=True)
    notices.to_staff(
        complaint.first_receiver,
        complaint=complaint,
        subject=_("投诉 %(no)s 被%(agency)s退回：%(reason)s")
        % {"no": complaint.tracking_no, "agency": agency.name, "reason": reason},
        key=f"returned:{complaint.version}",
    )
    return complaint


# --- 5. Handling: evidence, extension, supervision (complaints.services_handling) ---------------

from complaints.services_handling import (  # noqa: E402  (the story continues there)
    complaint_add_evidence,
    complaint_decide_extension,
    complaint_request_extension,
    complaint_supervise,
)

# --- 6. Outcome, reply, callback, close ---------------------------------------------------------
from complaints.services_outcome import (  # noqa: E402  (the story continues there)
    RemedySpec,
    complaint_callback,
    complaint_close,
    complaint_conclude,
    complaint_rate,
    complaint_reopen,
    complaint_reply,
)
