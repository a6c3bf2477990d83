"""Every periodic task, in one place. Beat runs once (one beat process per deployment).

django-celery-beat's DatabaseScheduler copies these entries into its tables on
start, where the operator can see them in the admin.
"""

from __future__ import annotations


def beat_schedule(
    *, heartbeat_seconds: int, sweep_seconds: int = 60, rollup_seconds: int = 60
) -> dict:
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
        # Safety net for complaints accepted through the API (complaints.acceptance): each
        # acceptance nudges a worker after commit; this files anything a lost nudge left.
        "complaints-file-accepted": {
            "task": "complaints.tasks.file_accepted",
            "schedule": 10.0,
        },
        # Public complaint statistics (效能服务连心网): recompute the recent months of the rollup,
        # so the page reads a small table and stays "live" within five minutes.
        "complaints-public-stats": {
            "task": "complaints.tasks.refresh_public_stats",
            "schedule": 300.0,
        },
        # The dashboard's rollup (supervision): recompute only the days and agencies touched
        # since the last run; idempotent, and a run that finds another running returns at once.
        # (Bulletins are drafted on a schedule that is data: a django-celery-beat row.)
        "supervision-rollup": {
            "task": "supervision.refresh_rollup",
            "schedule": float(rollup_seconds),
        },
    }
