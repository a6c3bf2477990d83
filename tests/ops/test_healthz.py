"""/healthz answers 200 only when the database, Redis and the beat heartbeat are all fine.

The heartbeat test runs a real Celery worker (in a thread, on the real Redis) that
consumes a queue of its own, so parallel test processes cannot steal its task.
"""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django_celery_beat import schedulers as beat_schedulers
from django_celery_beat.models import PeriodicTask

from efficiency_portal import health
from efficiency_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_cache(settings):
    """A key prefix of our own: another test process sharing the Redis DB sees other keys."""
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"test-healthz-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches
    yield
    cache.delete(health.HEARTBEAT_KEY)


def test_healthz_is_503_with_the_reason_when_beat_never_ticked(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["redis"] == {"ok": True, "detail": "ok"}
    assert body["checks"]["beat"] == {"ok": False, "detail": "no heartbeat yet"}


def test_healthz_is_503_when_the_heartbeat_is_older_than_three_beats(client, settings):
    settings.BEAT_HEARTBEAT_SECONDS = 60
    cache.set(health.HEARTBEAT_KEY, time.time() - 200, timeout=None)
    response = client.get("/healthz")
    assert response.status_code == 503
    detail = response.json()["checks"]["beat"]["detail"]
    assert detail.startswith("last heartbeat 2") and detail.endswith("s ago (stale after 180 s)")


def test_healthz_is_200_after_a_real_worker_ran_the_heartbeat(client, worker_in_this_process):
    queue = f"healthz-test-{uuid.uuid4().hex[:8]}"
    with start_worker(celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
        health.beat_heartbeat.apply_async(queue=queue)
        # A worker is another thread: wait (bounded) for its write instead of sleeping blindly.
        deadline = time.monotonic() + 30
        while cache.get(health.HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["beat"]["ok"] is True


def test_healthz_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_healthcheck_command_passes_for_database_and_redis_and_fails_for_missing_beat(capsys):
    call_command("healthcheck", only="database,redis")
    with pytest.raises(CommandError, match=r"^unhealthy: beat: no heartbeat yet$"):
        call_command("healthcheck", only="beat")


def test_beat_database_scheduler_picks_up_the_schedule_from_schedule_py(settings, monkeypatch):
    # The scheduler closes "old" connections; inside the test transaction ours looks
    # old (autocommit off) and closing it would end the test transaction.
    monkeypatch.setattr(beat_schedulers, "close_old_connections", lambda: None)
    beat_schedulers.DatabaseScheduler(
        app=celery_app
    )  # copies CELERY_BEAT_SCHEDULE into its tables on start
    entry = PeriodicTask.objects.get(name="beat-heartbeat")
    assert entry.task == "efficiency_portal.health.beat_heartbeat"
    assert entry.enabled
    assert entry.interval.every == settings.BEAT_HEARTBEAT_SECONDS
    assert entry.interval.period == "seconds"
