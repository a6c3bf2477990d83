"""Delivery backends for the outbox. A backend is idempotent on ``idempotency_key``.

Real SMS gateways take a client message id and drop repeats; the backends here
emulate that with a Redis marker set *before* sending (``cache.add`` is atomic),
so a worker that crashes between sending and marking the row never sends twice
to the same channel. The price is at-most-once on a crash inside the send call,
which an operator sees as a row stuck with attempts > 0.
"""

from __future__ import annotations

import logging
from email.utils import make_msgid

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from common.masking import mask_phone
from efficiency_portal.branding import PRODUCT_NAME
from efficiency_portal.logging import mask_personal_data

log = logging.getLogger(__name__)

# How long a sent-marker is kept: longer than any retry schedule.
SENT_MARKER_SECONDS = 7 * 24 * 3600


class DeliveryRefused(Exception):
    """Cannot be delivered, ever (no e-mail address, no phone): do not retry."""


class IdempotentBackend:
    def deliver(self, *, to: str, subject: str, body: str, idempotency_key: str) -> bool:
        """Send once per key; False when the key was already sent."""
        marker = f"timelimits:sent:{self.channel}:{idempotency_key}"
        if not cache.add(marker, 1, timeout=SENT_MARKER_SECONDS):
            return False
        try:
            self.send(to=to, subject=subject, body=body, idempotency_key=idempotency_key)
        except Exception:
            cache.delete(marker)  # nothing went out: allow the retry
            raise
        return True

    def send(self, *, to: str, subject: str, body: str, idempotency_key: str) -> None:
        raise NotImplementedError


class EmailBackend(IdempotentBackend):
    channel = "email"

    def send(self, *, to, subject, body, idempotency_key):
        domain = settings.SITE_URL.split("//")[-1].split(":")[0] or "localhost"
        # Every message names the product in its subject and signs with it (one name).
        message = EmailMessage(
            subject=_("【%(product)s】%(subject)s") % {"product": PRODUCT_NAME, "subject": subject},
            body=f"{body}\n\n-- \n{PRODUCT_NAME}\n{settings.SITE_URL}",
            to=[to],
            headers={"Message-ID": make_msgid(idstring=idempotency_key, domain=domain)},
        )
        message.send()


class ConsoleSmsBackend(IdempotentBackend):
    """Development default: log the SMS instead of paying a gateway.

    The line carries the number and the text masked (a receipt's query code included):
    logs never hold a complainant's full number or code.
    """

    channel = "sms"

    def send(self, *, to, subject, body, idempotency_key):
        log.info(
            "sms not sent (console backend)",
            extra={
                "to": mask_phone(to),
                "text": mask_personal_data(f"{subject} {body}".strip()),
                "key": idempotency_key,
            },
        )


class MemorySmsBackend(IdempotentBackend):
    """For tests: keeps what was sent in ``MemorySmsBackend.outbox``."""

    channel = "sms"
    outbox: list[dict] = []

    def send(self, *, to, subject, body, idempotency_key):
        MemorySmsBackend.outbox.append(
            {"to": to, "text": f"{subject} {body}", "key": idempotency_key}
        )


def sms_backend() -> IdempotentBackend:
    return import_string(settings.TIMELIMITS_SMS_BACKEND)()
