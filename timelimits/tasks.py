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


@shared_task(
    name="timelimits.deliver_notifications",
    ignore_result=True,
    bind=True,
    max_retries=5,
    default_retry_delay=30,
)
def deliver_notifications(self) -> int:
    from django.core.cache import cache

    from timelimits.delivery import deliver_pending
    from timelimits.outbox import delivery_queued_key

    # Before reading the outbox: a row committed from now on queues a new run.
    cache.delete(delivery_queued_key())
    result = deliver_pending()
    if result.retry_later:
        # Some backend failed transiently: try again later with backoff.
        raise self.retry(countdown=min(30 * 2**self.request.retries, 1800))
    return result.sent
