"""/healthz: database, Redis and the Celery beat heartbeat, for load balancers and operators."""

from __future__ import annotations

import time

from celery import shared_task
from celery.signals import beat_init
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

HEARTBEAT_KEY = "ops:beat-heartbeat"


@shared_task(name="efficiency_portal.health.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Runs on the beat schedule; its timestamp proves beat and a worker are alive."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@beat_init.connect
def _heartbeat_on_beat_start(sender=None, **kwargs) -> None:
    """Beat's first scheduled heartbeat comes one interval after start; send one now
    so a fresh deployment turns healthy as soon as beat and a worker are up."""
    beat_heartbeat.delay()


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # the report is the point: say what failed, never raise
        return False, f"{type(exc).__name__}: {exc}".strip()[:200]


def _check_redis() -> tuple[bool, str]:
    try:
        cache.set("ops:healthz-probe", "1", timeout=10)
        return cache.get("ops:healthz-probe") == "1", "ok"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}".strip()[:200]


def _check_beat() -> tuple[bool, str]:
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}".strip()[:200]
    if beat is None:
        return False, "no heartbeat yet"
    age = time.time() - float(beat)
    stale_after = 3 * settings.BEAT_HEARTBEAT_SECONDS
    if age > stale_after:
        return False, f"last heartbeat {int(age)} s ago (stale after {stale_after} s)"
    return True, f"last heartbeat {int(age)} s ago"


CHECKS = {"database": _check_database, "redis": _check_redis, "beat": _check_beat}


def run_checks(names=tuple(CHECKS)) -> tuple[bool, dict]:
    """Run the named checks; returns (all passed, the JSON body /healthz answers with)."""
    results = {name: CHECKS[name]() for name in names}
    healthy = all(ok for ok, _ in results.values())
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()},
    }
    return healthy, body


@never_cache
def healthz(request):
    healthy, body = run_checks()
    return JsonResponse(body, status=200 if healthy else 503)
