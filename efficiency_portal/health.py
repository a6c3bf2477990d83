"""/healthz: database, Redis and the Celery beat heartbeat, for load balancers and operators.

Two kinds of check. A failing one (database, Redis, beat) makes the answer
``"fail"`` with 503: this process or its workers cannot do their job. A degrading
one (the API intake backlog) makes it ``"degraded"`` with 200: the web process is
fine and must stay in the load balancer (taking it out would stop intake too), but
operators and monitoring read the status and the check's numbers.
"""

from __future__ import annotations

import time

from celery import shared_task
from celery.signals import beat_init
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from complaints.acceptance_ops import accepted_backlog

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


def _check_filing() -> tuple[bool, str, dict]:
    """API intake accepted but not yet filed: how many, and the oldest's age (one query)."""
    try:
        backlog = accepted_backlog()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}".strip()[:200], {}
    age = backlog.oldest_age_seconds(now=timezone.now())
    figures = {"waiting": backlog.waiting, "oldest_age_seconds": age}
    stale_after = settings.COMPLAINTS_FILING_STALE_SECONDS
    if age is None:
        return True, "nothing waiting", figures
    if age > stale_after:
        return (
            False,
            f"{backlog.waiting} waiting, oldest {age} s (stale after {stale_after} s)",
            figures,
        )
    return True, f"{backlog.waiting} waiting, oldest {age} s", figures


CHECKS = {"database": _check_database, "redis": _check_redis, "beat": _check_beat}
# Checks whose failure degrades the status but keeps /healthz at 200 (see the docstring).
DEGRADING = {"filing": _check_filing}
ALL_CHECKS = {**CHECKS, **DEGRADING}


def run_checks(names=tuple(ALL_CHECKS)) -> tuple[bool, dict]:
    """Run the named checks; returns (no failing check failed, the JSON body /healthz answers with).

    ``status`` is ``"fail"`` when a check of ``CHECKS`` failed, else ``"degraded"`` when one
    of ``DEGRADING`` did, else ``"ok"``. A check may add numbers to its entry.
    """
    results = {}
    for name in names:
        ok, detail, *extra = ALL_CHECKS[name]()
        results[name] = {"ok": ok, "detail": detail, **(extra[0] if extra else {})}
    healthy = all(result["ok"] for name, result in results.items() if name in CHECKS)
    degraded = not all(result["ok"] for result in results.values())
    body = {
        "status": "fail" if not healthy else "degraded" if degraded else "ok",
        "checks": results,
    }
    return healthy, body


@never_cache
def healthz(request):
    healthy, body = run_checks()
    return JsonResponse(body, status=200 if healthy else 503)
