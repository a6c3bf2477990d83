"""/healthz answers 200 only when the database, Redis and the beat heartbeat are all fine,
and reports the API intake backlog, degraded (still 200) when its oldest row is stale.

The heartbeat test runs a real Celery worker (in a thread, on the real Redis) that
consumes a queue of its own, so parallel test processes cannot steal its task.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat import schedulers as beat_schedulers
from django_celery_beat.models import PeriodicTask

from complaints.acceptance_ops import WAITING
from complaints.models import AcceptedFiling
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


# --------------------------------------------------------------------------- intake backlog


@pytest.fixture
def beat_alive():
    cache.set(health.HEARTBEAT_KEY, time.time(), timeout=None)


def accepted(*, seconds_ago: int, filed: bool = False, attempts: int = 0) -> AcceptedFiling:
    """An API filing accepted ``seconds_ago``; filed (unscheduled) or still waiting."""
    from model_bakery import baker

    from complaints.models import Complaint

    received = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return AcceptedFiling.objects.create(
        complaint=baker.make(Complaint) if filed else None,
        tracking_no=f"XN-T-{uuid.uuid4().hex[:12]}",
        query_code_hash="sha256$0$0",
        received_at=received,
        expected_by=received.date(),
        attempts=attempts,
        filed_at=received + dt.timedelta(seconds=2) if filed else None,
        next_attempt_at=None if filed else received,
    )


def test_healthz_reports_how_many_filings_wait_and_how_old_the_oldest_is(client, beat_alive):
    accepted(seconds_ago=40, attempts=1)
    accepted(seconds_ago=10)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    filing = body["checks"]["filing"]
    assert filing["ok"] is True and filing["waiting"] == 2
    assert 40 <= filing["oldest_age_seconds"] < 60
    assert filing["detail"] == f"2 waiting, oldest {filing['oldest_age_seconds']} s"


def test_healthz_counts_no_filed_row_however_old_it_is(client, beat_alive):
    accepted(seconds_ago=86_400, filed=True)
    filing = client.get("/healthz").json()["checks"]["filing"]
    assert filing == {
        "ok": True,
        "detail": "nothing waiting",
        "waiting": 0,
        "oldest_age_seconds": None,
    }


def test_healthz_is_degraded_but_stays_200_when_the_oldest_waiting_filing_is_stale(
    client, beat_alive, settings
):
    settings.COMPLAINTS_FILING_STALE_SECONDS = 60
    accepted(seconds_ago=120)
    accepted(seconds_ago=5)
    response = client.get("/healthz")
    assert response.status_code == 200  # the web process still accepts: keep it in the balancer
    body = response.json()
    assert body["status"] == "degraded"
    filing = body["checks"]["filing"]
    assert filing["ok"] is False and filing["waiting"] == 2
    assert filing["detail"].startswith("2 waiting, oldest 12")
    assert filing["detail"].endswith(" s (stale after 60 s)")


def test_a_failing_check_still_answers_503_fail_when_the_backlog_is_stale(client, settings):
    settings.COMPLAINTS_FILING_STALE_SECONDS = 60
    accepted(seconds_ago=120)
    response = client.get("/healthz")  # no beat heartbeat
    assert response.status_code == 503
    assert response.json()["status"] == "fail"


def test_healthz_asks_the_database_two_queries_however_long_the_backlog(
    client, beat_alive, django_assert_num_queries
):
    for seconds_ago in range(0, 50, 5):
        accepted(seconds_ago=seconds_ago)
    with django_assert_num_queries(2):  # SELECT 1, and the backlog's count and oldest
        assert client.get("/healthz").status_code == 200


def test_the_backlog_query_reads_the_partial_index_of_waiting_rows():
    queryset = AcceptedFiling.objects.filter(WAITING).values("received_at")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty test table favours a scan
        plan = queryset.explain()
    assert "accepted_filing_waiting" in plan


def test_healthcheck_command_says_degraded_on_stderr_and_exits_0_for_a_stale_backlog(
    beat_alive, settings, capsys
):
    settings.COMPLAINTS_FILING_STALE_SECONDS = 60
    accepted(seconds_ago=120)
    call_command("healthcheck", only="filing")
    out, err = capsys.readouterr()
    assert '"status": "degraded"' in out
    assert err.startswith("degraded: filing: 1 waiting, oldest 12")
