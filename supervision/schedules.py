"""Periodic work of supervision (collected by ``efficiency_portal.schedule``)."""

from __future__ import annotations

from django.conf import settings


def schedule() -> dict:
    return {
        # The dashboard's rollup: recompute only the days and agencies touched since the last
        # run; idempotent, and a run that finds another running returns at once.
        # (Bulletins are drafted on a schedule that is data: a django-celery-beat row.)
        "supervision-rollup": {
            "task": "supervision.refresh_rollup",
            "schedule": float(settings.SUPERVISION_ROLLUP_SECONDS),
        },
    }
