"""Intake (受理前): a citizen, Open311 or an integration account files a complaint.

``complaint_submit`` is the one way in: checks every field at once, files in one
durable transaction (the complaint, its attachments, its first event, the accept clock,
the receipt to the complainant) and is idempotent on a submission key.
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
from complaints.models import (
    Attachment,
    Complaint,
    ComplaintCategory,
)
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency
from timelimits import versions

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
    if channel not in Complaint.Channel.values:  # a caller's mistake, named rather than stored
        raise ApplicationError(_("未知的来源渠道。"), code="invalid", field="channel")
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
        "channel": channel,
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
                message=receipt_message(
                    no=complaint.tracking_no, code=query_code, expected_by=expected_by
                ),
            )
    except BaseException:
        for attachment in stored:  # not committed: no file of it stays behind
            attachment.file.delete(save=False)
        raise
    return complaint, expected_by


def receipt_message(*, no: str, code: str, expected_by: dt.date) -> str:
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
