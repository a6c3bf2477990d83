"""Sending a notice to a complainant, who has no user account (so not the staff outbox).

Called by ``complaints.tasks.send_complainant_notice`` after the step committed.
Both channels go through the deadline engine's idempotent backends (SMS: the
pluggable TIMELIMITS_SMS_BACKEND, console by default; e-mail: Django mail), keyed
on the case and the message, so a retried task never sends the same notice twice.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from complaints.models import Complaint
from timelimits.backends import EmailBackend, sms_backend


def complaint_notify_complainant(*, complaint: Complaint, message: str) -> None:
    key = hashlib.sha256(f"complaint:{complaint.pk}:{message}".encode()).hexdigest()[:40]
    subject = _("效能投诉 %(no)s") % {"no": complaint.tracking_no}
    if complaint.complainant_phone:
        sms_backend().deliver(
            to=complaint.complainant_phone, subject=subject, body=message, idempotency_key=key
        )
    if complaint.complainant_email:
        EmailBackend().deliver(
            to=complaint.complainant_email, subject=subject, body=message, idempotency_key=key
        )
