"""Reads for the complainant's own follow page (opened with the number and query code).

What the complainant wrote and sent (their text, their files, what they added later), and
the remedies taken, worded for the public: the kind of measure and the unit it was taken
against, never a person's name (staff or accused), the recorder or the internal note.
An amount is shown for a refund only (it is the complainant's money); a penalty's is not.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from complaints.models import Attachment, Complaint, ComplaintEvent, Remedy

K = Remedy.Kind


def complainant_files(*, complaint: Complaint) -> list[Attachment]:
    """The complainant's files (filed with the complaint and added since); not staff evidence."""
    return list(
        complaint.attachments.filter(kind=Attachment.Kind.MATERIAL)
        .only("pk", "original_name", "size", "content_type", "uploaded_at", "complaint_id")
        .order_by("uploaded_at", "pk")
    )


def complainant_file(*, complaint_ids, pk: int) -> Attachment | None:
    """One of the complainant's files, if it belongs to a case opened with its code."""
    return (
        Attachment.objects.filter(
            pk=pk, complaint_id__in=list(complaint_ids), kind=Attachment.Kind.MATERIAL
        )
        .only("pk", "file", "original_name", "content_type", "complaint_id")
        .first()
    )


def complainant_supplements(*, complaint: Complaint) -> list[ComplaintEvent]:
    """What the complainant added (补充材料), first to last: its text and file names in ``data``."""
    return list(
        ComplaintEvent.objects.filter(complaint=complaint, verb="supplement")
        .only("occurred_at", "data")
        .order_by("occurred_at", "id")
    )


def _wording(remedy: Remedy) -> str:
    unit = remedy.against_agency if remedy.against_agency_id else None
    agency = unit.display_name if unit is not None else _("责任单位")
    if remedy.kind == K.REFUND and remedy.amount is not None:
        return _("%(agency)s退还违规收取的费用 %(amount)s 元。") % {
            "agency": agency,
            "amount": number_format(remedy.amount, 2),
        }
    wording = {
        K.REFUND: _("%(agency)s退还违规收取的费用。"),
        K.APOLOGY: _("%(agency)s向您赔礼道歉。"),
        K.SELF_CRITICISM: _("%(agency)s的责任人作出书面检查。"),
        K.NOTICE_CRITICISM: _("对%(agency)s或其责任人予以通报批评。"),
        K.TRANSFER_POST: _("%(agency)s的责任人已调离岗位。"),
        K.PENALTY: _("对%(agency)s的责任人给予经济处罚。"),
    }.get(remedy.kind, _("%(agency)s已按规定处理。"))
    return wording % {"agency": agency}


def complainant_remedies(*, complaint: Complaint) -> dict[int, list[str]]:
    """The remedies of each handling round, worded for the complainant: {round_no: [text]}."""
    by_round: dict[int, list[str]] = defaultdict(list)
    for remedy in (
        Remedy.objects.filter(complaint=complaint)
        .select_related("against_agency")
        .only("kind", "round_no", "amount", "against_agency__name", "against_agency__name_en")
        .order_by("round_no", "recorded_at", "id")
    ):
        by_round[remedy.round_no].append(_wording(remedy))
    return dict(by_round)
