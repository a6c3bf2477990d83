"""/healthz reports a stale dashboard rollup as degraded (supervision/health.py)."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone

from efficiency_portal import health
from supervision.models import RollupRun
from supervision.rollup import rollup_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def beat_alive(settings):
    """A cache of our own with a fresh heartbeat: only the rollup check may degrade."""
    caches = {"default": {**settings.CACHES["default"]}}
    caches["default"]["KEY_PREFIX"] = f"test-rollup-health-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches
    cache.set(health.HEARTBEAT_KEY, time.time(), timeout=None)
    yield
    cache.delete(health.HEARTBEAT_KEY)


def _run(finished_ago: dt.timedelta) -> None:
    at = timezone.now() - finished_ago
    RollupRun.objects.create(started_at=at, finished_at=at)


def test_a_rollup_never_refreshed_is_not_a_fault(client):
    RollupRun.objects.all().delete()
    body = client.get("/healthz").json()
    assert body["checks"]["rollup"] == {"ok": True, "detail": "no refresh recorded yet"}


def test_a_stale_rollup_degrades_the_status_but_keeps_200(client, settings):
    settings.SUPERVISION_ROLLUP_STALE_SECONDS = 600
    _run(dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["rollup"]["ok"] is False
    assert body["checks"]["rollup"]["detail"].endswith("(stale after 600 s)")


def test_the_last_successful_refresh_decides_not_an_older_one(client, settings):
    settings.SUPERVISION_ROLLUP_STALE_SECONDS = 600
    _run(dt.timedelta(days=2))
    rollup_refresh()
    body = client.get("/healthz").json()
    assert body["checks"]["rollup"]["ok"] is True
    assert body["checks"]["rollup"]["detail"].startswith("last rollup refresh ")


def test_the_stale_threshold_is_a_setting(client, settings):
    _run(dt.timedelta(minutes=20))
    settings.SUPERVISION_ROLLUP_STALE_SECONDS = 3600
    assert client.get("/healthz").json()["checks"]["rollup"]["ok"] is True
    settings.SUPERVISION_ROLLUP_STALE_SECONDS = 600
    assert client.get("/healthz").json()["checks"]["rollup"]["ok"] is False
