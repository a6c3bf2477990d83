"""Every periodic task, in one place. Beat runs once (one beat process per deployment).

django-celery-beat's DatabaseScheduler copies these entries into its tables on
start, where the operator can see them in the admin.
"""

from __future__ import annotations


def beat_schedule(*, heartbeat_seconds: int, sweep_seconds: int = 60) -> dict:
    return {
        # Proves beat is alive: /healthz reports beat stale when the heartbeat is old.
        "beat-heartbeat": {
            "task": "efficiency_portal.health.beat_heartbeat",
            "schedule": float(heartbeat_seconds),
        },
        # The deadline sweep (timelimits): lights green→yellow→red and the 督办 ladder, set-based
        # and idempotent, so a late or doubled run is harmless (TIMELIMITS_SWEEP_SECONDS).
        "timelimits-sweep": {
            "task": "timelimits.sweep_deadlines",
            "schedule": float(sweep_seconds),
        },
        # Safety net for the notification outbox: rows are normally delivered right after the
        # commit that wrote them; this picks up anything left by a broker outage or a retry.
        "timelimits-deliver-notifications": {
            "task": "timelimits.deliver_notifications",
            "schedule": 60.0,
        },
        # Intake uploads kept for a retry (complaints.pages.stash): delete the expired ones, which
        # saves also do, so a citizen's files never outstay COMPLAINTS_STASH_SECONDS for long.
        "complaints-remove-expired-upload-stashes": {
            "task": "complaints.tasks.remove_expired_upload_stashes",
            "schedule": 600.0,
        },
        # Public complaint statistics (效能服务连心网): recompute the recent months of the rollup,
        # so the page reads a small table and stays "live" within five minutes.
        "complaints-public-stats": {
            "task": "complaints.tasks.refresh_public_stats",
            "schedule": 300.0,
        },
    }
