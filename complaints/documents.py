"""三表一单一书一卡: the printable documents of a case, rendered to PDF by WeasyPrint.

Each is a Django template under ``complaints/documents/`` with the case number
and a QR code (inline SVG) to the complainant's follow page. The complainant is
shown as ``complaints.privacy`` allows the user who prints — masked, or hidden.
The 反馈表 and the 效能告诫书 print one handling round (办理轮次: its finding,
remedies, reply and ratings) — the current one unless another is asked for.
"""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from complaints import clocks, notices, privacy, selectors
from complaints.models import Complaint, HandlingRound
from efficiency_portal.branding import PRODUCT_NAME

DOCUMENTS = {
    "registration": _("投诉登记表"),
    "approval": _("呈批表"),
    "transfer": _("转办单"),
    "feedback": _("反馈表"),
    "warning": _("效能告诫书"),
    "contact_card": _("服务联系卡"),
}


def qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=1)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]  # drop the XML declaration to inline it in HTML


def render_html(*, complaint: Complaint, name: str, user, round_no: int | None = None) -> str:
    """The document as HTML; ``round_no`` picks the handling round (default: the current one).

    The documents are official papers in Chinese: labels (channel, outcome, routing) and the
    product's name print in Chinese whatever language the printing user reads the admin in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _render_html(complaint=complaint, name=name, user=user, round_no=round_no)


def _render_html(*, complaint: Complaint, name: str, user, round_no: int | None) -> str:
    url = notices.follow_url(complaint)
    handling_round = selectors.complaint_round(complaint=complaint, number=round_no)
    if handling_round is None:
        raise ValueError(f"{complaint.tracking_no} has no handling round {round_no}")
    context = {
        "c": complaint,
        "r": handling_round,
        "title": DOCUMENTS[name],
        "product_name": PRODUCT_NAME,
        "complainant": privacy.complainant_for(user, complaint),
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - SVG built by qrcode from our own URL
        "follow_url": url,
        "handle_due": clocks.handling_due(complaint),
        "promised_by": clocks.promised_completion(complaint),
        "remedies": _remedies(complaint, handling_round),
        "printed_at": timezone.localtime(),
        "printed_by": staff_name(user),
    }
    if name == "approval":
        context.update(plan_record(complaint))
    return render_to_string(f"complaints/documents/{name}.html", context)


def staff_name(user) -> str:
    """Staff by full name (their profile's), the account name only when there is none."""
    if user is None:
        return ""
    return getattr(getattr(user, "staff_profile", None), "name", "") or user.get_username()


def plan_record(complaint: Complaint) -> dict:
    """For the 呈批表: who proposed the current plan (拟办人) and when, who decided it (审批人)
    and when, and the leader's 批示 (领导批示) — given or still awaited."""
    events = complaint.events.select_related("actor__staff_profile").order_by("occurred_at", "id")
    proposed = events.filter(verb="plan").last()
    decided = None
    if proposed is not None:
        decided = (
            events.filter(verb__in=["approve_plan", "send_back_plan"], id__gt=proposed.id)
            .order_by("occurred_at", "id")
            .first()
        )
    endorsements = complaint.endorsements.select_related("leader__staff_profile")
    return {
        "proposer": staff_name(proposed.actor) if proposed else "",
        "proposed_at": proposed.occurred_at if proposed else None,
        "approver": staff_name(decided.actor) if decided else "",
        "approved_at": decided.occurred_at if decided else None,
        "approval": decided,
        "endorsements": [
            {"leader": staff_name(e.leader), "text": e.text, "at": e.endorsed_at}
            for e in endorsements
        ],
    }


def _remedies(complaint: Complaint, handling_round: HandlingRound) -> list:
    remedies = complaint.remedies.filter(round_no=handling_round.number)
    return list(remedies.select_related("against_agency"))


def render_pdf(*, complaint: Complaint, name: str, user, round_no: int | None = None) -> bytes:
    from weasyprint import HTML  # imported late: loads Pango, slow to import

    html = render_html(complaint=complaint, name=name, user=user, round_no=round_no)
    return HTML(string=html).write_pdf()
