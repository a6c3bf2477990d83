"""/healthz: database, Redis and the Celery beat heartbeat, plus what each app contributes.

Two kinds of check. A failing one (``CHECKS``: database, Redis, beat, and any an
app adds) makes the answer ``"fail"`` with 503: this process or its workers cannot
do their job. A degrading one (``DEGRADING``, contributed by the apps in
``<app>/health.py``: the deadline sweep is late, the outbox is stuck, the public
statistics are stale) makes it ``"degraded"`` with 200: the web process is fine and
must stay in the load balancer, but operators and monitoring read the status. A
check returns ``(ok, detail)``.
"""

from __future__ import annotations

import time

from celery import shared_task
from celery.signals import beat_init
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from efficiency_portal.discovery import merged

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


CORE_CHECKS = {"database": _check_database, "redis": _check_redis, "beat": _check_beat}


def checks() -> tuple[dict, dict]:
    """(failing checks, degrading checks): the core ones and every app's ``health.py``."""
    failing = {**CORE_CHECKS, **merged("health", "CHECKS")}
    degrading = merged("health", "DEGRADING")
    return failing, degrading


def all_check_names() -> list[str]:
    failing, degrading = checks()
    return [*failing, *degrading]


def run_checks(names=None) -> tuple[bool, dict]:
    """Run the named checks (all by default); returns (no failing check failed, the JSON body).

    ``status`` is ``"fail"`` when a failing check failed, else ``"degraded"`` when a
    degrading one did, else ``"ok"``.
    """
    failing, degrading = checks()
    every = {**failing, **degrading}
    names = list(every) if names is None else names
    results = {name: every[name]() for name in names}
    healthy = all(ok for name, (ok, _) in results.items() if name in failing)
    degraded = not all(ok for ok, _ in results.values())
    body = {
        "status": "fail" if not healthy else "degraded" if degraded else "ok",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()},
    }
    return healthy, body


@never_cache
def healthz(request):
    healthy, body = run_checks()
    return JsonResponse(body, status=200 if healthy else 503)
