"""Celery tasks of the complaints app: thin — load ids, call a service."""

from __future__ import annotations

from celery import shared_task

from complaints.models import Complaint


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_complainant_notice(complaint_id: int, message: str) -> None:
    """Drains messages queued before complainant notices moved to the outbox
    (``complaints.notices.to_complainant``); nothing enqueues it any more. Remove
    it, with ``complaints.delivery``, once a release has run with queues drained."""
    from complaints.delivery import complaint_notify_complainant

    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is not None:
        complaint_notify_complainant(complaint=complaint, message=message)


@shared_task
def refresh_public_stats() -> int:
    """Recompute the recent months of the public statistics rollup (complaints.stats)."""
    from django.conf import settings

    from complaints.stats import stats_refresh_recent

    return stats_refresh_recent(months=settings.COMPLAINTS_STATS_REFRESH_MONTHS)


@shared_task
def remove_expired_upload_stashes() -> int:
    """Delete intake uploads kept for a retry that has not come (complaints.pages.stash)."""
    from complaints.pages import stash

    return stash.remove_expired()
