"""Every periodic task, in one place. Beat runs once (one beat process per deployment).

django-celery-beat's DatabaseScheduler copies these entries into its tables on
start, where the operator can see them in the admin.
"""

from __future__ import annotations


def beat_schedule(*, heartbeat_seconds: int) -> dict:
    return {
        # Proves beat is alive: /healthz reports beat stale when the heartbeat is old.
        "beat-heartbeat": {
            "task": "efficiency_portal.health.beat_heartbeat",
            "schedule": float(heartbeat_seconds),
        },
    }
