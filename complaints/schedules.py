"""Periodic work of the complaints app (collected by ``efficiency_portal.schedule``)."""

from __future__ import annotations


def schedule() -> dict:
    return {
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
