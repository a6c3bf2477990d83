"""Who hears about a step: staff through the engine's outbox, the complainant by SMS/e-mail.

Staff notices are outbox rows (``timelimits.services.notify``) written in the
step's transaction. The complainant is not a user account, so their SMS/e-mail
goes out from a task enqueued on commit (``complaints.tasks``): a rolled-back
step announces nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

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
    """SMS and/or e-mail to the complainant after commit, if they left a number or address."""
    if not (complaint.complainant_phone or complaint.complainant_email):
        return
    from complaints.tasks import send_complainant_notice

    pk = complaint.pk
    transaction.on_commit(lambda: send_complainant_notice.delay(pk, message))
