"""Periodic work: the project's heartbeat here, every app's own in ``<app>/schedules.py``.

An app contributes ``schedule() -> {name: beat entry}`` (each entry with a comment
saying what it is for); ``full_schedule`` merges them, refusing a name used twice.
Beat runs once per deployment; ``efficiency_portal.beat.Scheduler`` (django-celery-beat's
DatabaseScheduler) copies the full schedule into its tables on start, where the
operator sees it in the admin.
"""

from __future__ import annotations

from django.conf import settings

from efficiency_portal.discovery import merged


def beat_schedule(*, heartbeat_seconds: int) -> dict:
    """The project's own entries, known before any app is loaded (read by the settings)."""
    return {
        # Proves beat is alive: /healthz reports beat stale when the heartbeat is old.
        "beat-heartbeat": {
            "task": "efficiency_portal.health.beat_heartbeat",
            "schedule": float(heartbeat_seconds),
        },
    }


def full_schedule() -> dict:
    """The heartbeat plus what every installed app's ``schedules.py`` contributes."""
    own = beat_schedule(heartbeat_seconds=settings.BEAT_HEARTBEAT_SECONDS)
    contributed = merged("schedules", "schedule")
    clash = sorted(set(own) & set(contributed))
    if clash:
        raise ValueError(f"beat entries named twice: {', '.join(clash)}")
    return {**own, **contributed}
