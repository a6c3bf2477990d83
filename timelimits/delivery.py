"""Deliver the notification outbox: in-app rows are the inbox itself; e-mail and SMS go out once.

Rows are claimed ``FOR UPDATE SKIP LOCKED`` and stay locked while being sent, so two
workers never send the same row; the idempotency key is the row id, so a worker
that dies after sending but before commit leaves a row whose resend is dropped by
the backend. A failing backend leaves the row pending for a retry with backoff,
until ``TIMELIMITS_DELIVERY_MAX_ATTEMPTS`` marks it failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from timelimits.backends import DeliveryRefused, EmailBackend, sms_backend
from timelimits.models import Channel, Notification

log = logging.getLogger(__name__)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    retry_later: bool = False


def _address(notification: Notification) -> str:
    if notification.to_phone or notification.to_email:
        return notification.to_phone or notification.to_email
    user = notification.recipient
    if notification.channel == Channel.EMAIL:
        if not user.email:
            raise DeliveryRefused("recipient has no e-mail address")
        return user.email
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.phone:
        raise DeliveryRefused("recipient has no mobile number")
    return profile.phone


def _send(notification: Notification, backends: dict) -> None:
    if notification.channel == Channel.IN_APP:
        return  # the row is the inbox entry
    backend = backends[notification.channel]
    backend.deliver(
        to=_address(notification),
        subject=notification.subject,
        body=notification.body,
        idempotency_key=f"notification-{notification.pk}",
    )


def deliver_pending(*, batch: int = 200, max_batches: int = 50) -> DeliveryResult:
    """Deliver pending rows in batches (each its own transaction)."""
    result = DeliveryResult()
    backends = {Channel.EMAIL: EmailBackend(), Channel.SMS: sms_backend()}
    max_attempts = settings.TIMELIMITS_DELIVERY_MAX_ATTEMPTS
    seen: set[int] = set()
    for _ in range(max_batches):
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "recipient__staff_profile")
                .filter(state=Notification.State.PENDING)
                .exclude(pk__in=seen)
                .order_by("id")[:batch]
            )
            if not rows:
                break
            for row in rows:
                seen.add(row.pk)
                row.attempts += 1
                try:
                    _send(row, backends)
                except DeliveryRefused as exc:
                    row.state = Notification.State.FAILED
                    row.last_error = str(exc)[:300]
                    result.failed += 1
                except Exception as exc:  # a transient backend error: retry later
                    log.warning("notification delivery failed", exc_info=True)
                    row.last_error = f"{type(exc).__name__}: {exc}"[:300]
                    if row.attempts >= max_attempts:
                        row.state = Notification.State.FAILED
                        result.failed += 1
                    else:
                        result.retry_later = True
                else:
                    row.state = Notification.State.SENT
                    row.sent_at = timezone.now()
                    result.sent += 1
                _mark(row)
    return result


def _mark(row: Notification) -> None:
    done = row.state != Notification.State.PENDING
    if done and (row.to_phone or row.to_email):
        # A notice to an address is nobody's inbox, and it may carry a secret (a
        # complainant's query code): once it went out or never will, keep no copy.
        row.body = ""
    Notification.objects.filter(pk=row.pk).update(
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
        body=row.body,
    )


# A delivery run drains every pending row, so one queued run serves all the commits
# made before it starts: later commits only publish a new run once this key is gone.
# The run deletes the key before it reads the outbox; the TTL bounds the wait if a
# queued message is lost (the periodic delivery run catches up in any case).
DELIVERY_QUEUED_SECONDS = 30


def delivery_queued_key() -> str:
    # Per database, so parallel test databases (and tenants) never share the flag.
    return f"timelimits:delivery-queued:{connection.settings_dict['NAME']}"


DELIVERY_TASK = "timelimits.deliver_notifications"


class DeliveryIncomplete(Exception):
    """A backend failed transiently for some rows; Celery retries the run with backoff."""


@shared_task(
    name="timelimits.deliver_notifications",
    ignore_result=True,
    # Celery's own retries: 30 s, 60 s, 120 s … capped at 30 minutes, five times. A row
    # that keeps failing is marked failed after TIMELIMITS_DELIVERY_MAX_ATTEMPTS tries
    # (the beat safety net keeps trying it meanwhile) and shows in 通知发件箱, and /healthz
    # reports the outbox degraded while a notice waits: nothing is dropped silently.
    autoretry_for=(DeliveryIncomplete,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=False,
    max_retries=5,
)
def deliver_notifications() -> int:
    # Before reading the outbox: a row committed from now on queues a new run.
    cache.delete(delivery_queued_key())
    result = deliver_pending()
    if result.retry_later:
        raise DeliveryIncomplete(f"{result.sent} sent, some rows failed transiently")
    return result.sent
