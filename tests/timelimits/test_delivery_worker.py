"""A real Celery worker on the real Redis delivers outbox rows written by a committed sweep."""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from efficiency_portal.celery import app as celery_app
from tests.timelimits.conftest import at
from timelimits import outbox
from timelimits.backends import MemorySmsBackend
from timelimits.models import Notification
from timelimits.services import deadline_start
from timelimits.sweep import sweep
from timelimits.tasks import deliver_notifications

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_real_worker_delivers_the_notices_of_a_committed_sweep(
    agency_a, clerk_a, settings, monkeypatch, worker_in_this_process
):
    settings.TIMELIMITS_SMS_BACKEND = "timelimits.backends.MemorySmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"test-worker-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches
    MemorySmsBackend.outbox = []
    clerk_a.email = "zhang@example.org"
    clerk_a.save()
    # A queue of our own, so parallel test processes cannot take the task.
    queue = f"timelimits-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(
        outbox, "publish_delivery", lambda: deliver_notifications.apply_async(queue=queue)
    )
    deadline_start(
        subject=agency_a,
        kind="complaint.sign_for",
        agency=agency_a,
        responsible=clerk_a,
        started_at=at(2026, 3, 2),
    )
    with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        sweep(now=at(2026, 3, 4))  # red: in-app, e-mail and SMS to the responsible clerk
        limit = time.monotonic() + 30
        while (
            Notification.objects.exclude(state="sent").exists() or not Notification.objects.exists()
        ) and time.monotonic() < limit:
            time.sleep(0.05)
    rows = Notification.objects.filter(recipient=clerk_a)
    assert sorted(rows.values_list("channel", "state")) == [
        ("email", "sent"),
        ("in_app", "sent"),
        ("sms", "sent"),
    ]
    assert len(MemorySmsBackend.outbox) == 1
