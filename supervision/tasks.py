"""Celery tasks of supervision: thin — call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="supervision.refresh_rollup", ignore_result=True)
def refresh_rollup() -> int:
    """Recompute the dashboard's figures for the days touched since the last run."""
    from supervision.rollup import rollup_refresh

    run = rollup_refresh()
    return run.rows if run else 0
