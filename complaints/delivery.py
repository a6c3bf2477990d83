"""Sending a notice to a complainant, who has no user account (so not the staff outbox).

Called by ``complaints.tasks.send_complainant_notice`` after the step committed.
SMS goes through the project's pluggable SMS backend (TIMELIMITS_SMS_BACKEND,
console by default); e-mail through Django's mail backend.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from complaints.models import Complaint

log = logging.getLogger(__name__)


def _send_sms(phone: str, text: str) -> None:
    path = getattr(settings, "TIMELIMITS_SMS_BACKEND", "")
    try:
        backend = import_string(path)()
    except ImportError:
        log.info("sms (no backend)", extra={"phone_tail": phone[-4:], "text": text})
        return
    backend.send(phone=phone, text=text)


def complaint_notify_complainant(*, complaint: Complaint, message: str) -> None:
    if complaint.complainant_phone:
        _send_sms(complaint.complainant_phone, message)
    if complaint.complainant_email:
        send_mail(
            subject=_("效能投诉 %(no)s 办理进展") % {"no": complaint.tracking_no},
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[complaint.complainant_email],
        )
