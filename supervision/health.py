"""Health of the dashboard's rollup for /healthz (collected by ``efficiency_portal.health``).

The check degrades rather than fails: the web nodes stay in the load balancer and the
dashboard still answers from the figures it has, while monitoring sees they are old.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone


def _rollup() -> tuple[bool, str]:
    """The last successful refresh (a RollupRun row, written only when a refresh commits)
    finished within SUPERVISION_ROLLUP_STALE_SECONDS; never run yet is not a fault (a
    new deployment, before beat's first refresh)."""
    from supervision.rollup import last_refreshed

    finished = last_refreshed()
    if finished is None:
        return True, "no refresh recorded yet"
    age = int((timezone.now() - finished).total_seconds())
    stale_after = settings.SUPERVISION_ROLLUP_STALE_SECONDS
    if age > stale_after:
        return False, f"last rollup refresh {age} s ago (stale after {stale_after} s)"
    return True, f"last rollup refresh {age} s ago"


DEGRADING = {"rollup": _rollup}
