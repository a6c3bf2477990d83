"""Many commits share one queued delivery run (a Redis flag, not a Celery message per commit).

``no_stray_delivery_messages`` (tests/timelimits/conftest.py) records each run that
would be published instead of sending it; the flag itself lives in the real Redis.
"""

import pytest
from django.core.cache import cache

from timelimits.models import Notification
from timelimits.outbox import delivery_queued_key, notify
from timelimits.tasks import deliver_notifications


@pytest.fixture
def queued_runs(no_stray_delivery_messages):
    cache.delete(delivery_queued_key())
    yield no_stray_delivery_messages
    cache.delete(delivery_queued_key())


def _commit_notice(user, n, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=user,
            subject=f"通知 {n}",
            body="正文",
            channels=["in_app"],
            dedupe_key=f"debounce:{n}",
        )


@pytest.mark.django_db
def test_commits_before_the_run_starts_share_one_queued_run(
    clerk_a, queued_runs, django_capture_on_commit_callbacks
):
    for n in range(3):
        _commit_notice(clerk_a, n, django_capture_on_commit_callbacks)
    assert len(queued_runs) == 1
    assert Notification.objects.filter(recipient=clerk_a).count() == 3


@pytest.mark.django_db
def test_a_commit_after_the_run_started_queues_another_run(
    clerk_a, queued_runs, django_capture_on_commit_callbacks
):
    _commit_notice(clerk_a, 1, django_capture_on_commit_callbacks)
    deliver_notifications.apply()  # the queued run starts: it clears the flag before reading
    _commit_notice(clerk_a, 2, django_capture_on_commit_callbacks)
    assert len(queued_runs) == 2
