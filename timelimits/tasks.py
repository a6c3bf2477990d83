"""Celery tasks: thin wrappers that call the sweep and the outbox delivery."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="timelimits.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> int:
    import time

    from django.core.cache import cache

    from timelimits.health import SWEEP_FINISHED_KEY
    from timelimits.sweep import sweep

    changed = sweep().changed
    cache.set(SWEEP_FINISHED_KEY, time.time(), timeout=None)  # read by /healthz ("sweep")
    return changed


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
    from django.core.cache import cache

    from timelimits.delivery import deliver_pending
    from timelimits.outbox import delivery_queued_key

    # Before reading the outbox: a row committed from now on queues a new run.
    cache.delete(delivery_queued_key())
    result = deliver_pending()
    if result.retry_later:
        raise DeliveryIncomplete(f"{result.sent} sent, some rows failed transiently")
    return result.sent
