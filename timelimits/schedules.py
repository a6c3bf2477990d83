"""Periodic work of the deadline engine (collected by ``efficiency_portal.schedule``)."""

from __future__ import annotations

from django.conf import settings


def schedule() -> dict:
    return {
        # The deadline sweep: lights green→yellow→red and the 督办 ladder, set-based and
        # idempotent, so a late or doubled run is harmless (TIMELIMITS_SWEEP_SECONDS).
        "timelimits-sweep": {
            "task": "timelimits.sweep_deadlines",
            "schedule": float(settings.TIMELIMITS_SWEEP_SECONDS),
        },
        # Safety net for the notification outbox: rows are normally delivered right after the
        # commit that wrote them; this picks up anything left by a broker outage or a retry.
        "timelimits-deliver-notifications": {
            "task": "timelimits.deliver_notifications",
            "schedule": 60.0,
        },
        # The daily digest of notices that need no action (NoticePolicy): composed on the
        # first run after the digest time (DigestSchedule, data); later runs that day find
        # nothing to gather, so checking every ten minutes sends one digest a day.
        "timelimits-compose-digests": {
            "task": "timelimits.compose_digests",
            "schedule": 600.0,
        },
    }
