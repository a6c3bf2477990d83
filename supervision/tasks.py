"""Celery tasks of supervision: thin — call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="supervision.refresh_rollup", ignore_result=True)
def refresh_rollup() -> int:
    """Recompute the dashboard's figures for the days touched since the last run, then let the
    red-card threshold rules propose (both idempotent)."""
    from supervision.rollup import rollup_refresh
    from supervision.services import card_rules_evaluate

    run = rollup_refresh()
    card_rules_evaluate()
    return run.rows if run else 0


@shared_task(name="supervision.draft_bulletin", ignore_result=True)
def draft_bulletin() -> int:
    """Draft last week's bulletin (通报); scheduled by a django-celery-beat row (data, default
    Mondays 08:00). A second run in the same week finds the draft and changes nothing."""
    from supervision.services import bulletin_draft_last_week

    return bulletin_draft_last_week().pk
