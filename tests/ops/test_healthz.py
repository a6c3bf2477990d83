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


def test_beat_scheduler_stores_the_heartbeat_and_every_apps_contributed_schedule(monkeypatch):
    from efficiency_portal.beat import Scheduler

    # The scheduler closes "old" connections; inside the test transaction ours looks
    # old (autocommit off) and closing it would end the test transaction.
    monkeypatch.setattr(beat_schedulers, "close_old_connections", lambda: None)
    Scheduler(app=celery_app)  # copies the full schedule into its tables on start
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["beat-heartbeat"] == "efficiency_portal.health.beat_heartbeat"
    assert tasks["timelimits-sweep"] == "timelimits.sweep_deadlines"  # from timelimits/schedules.py
    assert tasks["complaints-public-stats"] == "complaints.tasks.refresh_public_stats"


# --------------------------------------------------------------------------- the apps' checks


@pytest.fixture
def beat_alive():
    cache.set(health.HEARTBEAT_KEY, time.time(), timeout=None)


def test_a_late_deadline_sweep_degrades_the_status_but_keeps_200(client, settings, beat_alive):
    from timelimits.health import SWEEP_FINISHED_KEY

    settings.TIMELIMITS_SWEEP_SECONDS = 60
    cache.set(SWEEP_FINISHED_KEY, time.time() - 600, timeout=None)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["sweep"]["ok"] is False
    assert body["checks"]["sweep"]["detail"].endswith("(stale after 180 s)")


def test_the_sweep_task_records_when_it_finished_so_a_fresh_sweep_is_healthy(client, beat_alive):
    from timelimits.tasks import sweep_deadlines

    sweep_deadlines.apply()
    body = client.get("/healthz").json()
    assert body["checks"]["sweep"]["ok"] is True
    assert body["checks"]["sweep"]["detail"].startswith("last sweep ")


def test_a_notice_stuck_in_the_outbox_degrades_the_status(client, beat_alive, clerk_a):
    import datetime as dt

    from django.utils import timezone

    from timelimits.models import Notification
    from timelimits.services import notify

    notify(recipient=clerk_a, subject="红灯", channels=["email"], dedupe_key="health:stuck")
    Notification.objects.filter(dedupe_key="health:stuck").update(
        created_at=timezone.now() - dt.timedelta(hours=1)
    )
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["outbox"]["ok"] is False


def test_healthcheck_command_knows_the_apps_checks_and_refuses_an_unknown_one():
    with pytest.raises(CommandError, match=r"^unknown check nope: use database, redis, beat,"):
        call_command("healthcheck", only="nope")
    call_command("healthcheck", only="sweep,outbox")  # degrading checks never exit non-zero
