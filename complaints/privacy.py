"""Confidentiality of the complainant (投诉人信息保密).

* Agencies — accused, handling or joint — never see who complained unless the
  complainant agreed (``consent_share_identity``); the efficiency office does.
* Where identity may be seen, phone and ID numbers are masked (common.masking).
* The full record (unmasked) opens only through ``complaint_reveal_identity``,
  which requires a reason and writes an append-only ``AccessLog`` row first;
  opening the complainant's own material (``complaint_open_attachment``) is logged too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from common.masking import mask_id_number, mask_name, mask_phone
from complaints import selectors, steps
from complaints.models import AccessLog, Attachment, Complaint
from efficiency_portal.errors import ApplicationError


@dataclass(frozen=True)
class Complainant:
    name: str
    phone: str
    id_number: str
    email: str
    hidden: bool  # True: the viewer may not know who complained at all


def _mask_email(email: str) -> str:
    if "@" not in email:
        return mask_name(email)
    user, domain = email.split("@", 1)
    return f"{user[:1]}***@{domain}"


def may_see_identity(user, complaint: Complaint) -> bool:
    if complaint.anonymous or user is None:
        return False
    if user.has_perm("complaints.reveal_complainant"):
        return True
    return complaint.consent_share_identity


def complainant_for(user, complaint: Complaint) -> Complainant:
    """What ``user`` may be shown of the complainant: masked, or nothing at all."""
    if complaint.anonymous:
        return Complainant(_("匿名"), "", "", "", hidden=True)
    if not may_see_identity(user, complaint):
        hidden = _("（投诉人未同意公开身份）")
        return Complainant(hidden, "", "", "", hidden=True)
    return Complainant(
        name=mask_name(complaint.complainant_name),
        phone=mask_phone(complaint.complainant_phone),
        id_number=mask_id_number(complaint.complainant_id_number),
        email=_mask_email(complaint.complainant_email),
        hidden=False,
    )


@transaction.atomic
def complaint_reveal_identity(*, complaint: Complaint, actor, reason: str) -> Complainant:
    """Open the full record for ``actor``, logged with the reason given; refused otherwise."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError(_("请先登录。"), code="forbidden")
    reason = steps.require_text(
        reason, field="reason", message=_("查看投诉人完整信息必须说明理由。"), max_length=300
    )
    if complaint.anonymous:
        raise ApplicationError(_("匿名投诉没有可查看的身份信息。"), code="anonymous")
    office = actor.has_perm("complaints.reveal_complainant")
    if not office and not (
        complaint.consent_share_identity
        and selectors.complaint_list_visible_to(user=actor).filter(pk=complaint.pk).exists()
    ):
        raise ApplicationError(
            _("投诉人未同意向承办单位提供身份信息，您无权查看。"), code="forbidden"
        )
    AccessLog.objects.create(complaint=complaint, user=actor, reason=reason)
    return Complainant(
        name=complaint.complainant_name,
        phone=complaint.complainant_phone,
        id_number=complaint.complainant_id_number,
        email=complaint.complainant_email,
        hidden=False,
    )


@transaction.atomic
def complaint_open_attachment(*, attachment: Attachment, actor) -> Attachment:
    """Open a file of a case the caller may see; a complainant's own material is logged like
    the full record, since photos and scans often show who they are."""
    if attachment.kind == Attachment.Kind.MATERIAL:
        AccessLog.objects.create(
            complaint_id=attachment.complaint_id,
            user=actor,
            reason=_("查看投诉材料：%(name)s") % {"name": attachment.original_name[:200]},
        )
    return attachment
