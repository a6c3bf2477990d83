"""Who hears about a step: staff through the engine's outbox, the complainant by SMS/e-mail.

Both are outbox rows of the deadline engine written in the step's transaction:
staff by user (``timelimits.services.notify``), the complainant — who has no
account — by phone number and e-mail address (``notify_address``). The engine's
delivery task sends them after commit, once; a rolled-back step announces nothing.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.models import Complaint
from organizations.models import StaffProfile
from timelimits import services as engine


def case_link(complaint: Complaint) -> str:
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


def follow_url(complaint: Complaint) -> str:
    return f"{settings.SITE_URL}{reverse('complaints:follow')}?no={complaint.tracking_no}"


def to_staff(user, *, complaint: Complaint, subject: str, body: str = "", key: str) -> None:
    if user is None:
        return
    engine.notify(
        recipient=user,
        subject=subject,
        body=body,
        channels=["in_app"],
        dedupe_key=f"complaint:{complaint.pk}:{key}",
        link=case_link(complaint),
    )


def to_agency(agency, *, complaint: Complaint, subject: str, body: str = "", key: str) -> None:
    """The unit heads of ``agency`` (one notice each), e.g. when a case is routed to it."""
    if agency is None:
        return
    heads = StaffProfile.objects.filter(
        agency=agency, is_unit_head=True, user__is_active=True
    ).select_related("user")
    for profile in heads:
        to_staff(profile.user, complaint=complaint, subject=subject, body=body, key=key)


def to_complainant(complaint: Complaint, *, message: str) -> None:
    """SMS and/or e-mail to the complainant, if they left a number or address.

    Outbox rows to the address, written in the step's transaction (a rolled-back
    step announces nothing; a broker that is down at commit only delays it), keyed
    on the case and the message so the same notice is written once.
    """
    if not (complaint.complainant_phone or complaint.complainant_email):
        return
    digest = hashlib.sha256(message.encode()).hexdigest()[:32]
    engine.notify_address(
        phone=complaint.complainant_phone,
        email=complaint.complainant_email,
        subject=_("效能投诉 %(no)s") % {"no": complaint.tracking_no},
        body=message,
        dedupe_key=f"complaint:{complaint.pk}:complainant:{digest}",
    )
