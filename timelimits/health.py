"""Health of the deadline engine for /healthz (collected by ``efficiency_portal.health``).

Both checks degrade rather than fail: the web nodes stay in the load balancer,
while monitoring sees that clocks or notices are not moving.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

SWEEP_FINISHED_KEY = "timelimits:sweep-finished"
# A notice still pending after this long means delivery is not running (it normally
# goes out within seconds of its commit, and the beat safety net runs every minute).
OUTBOX_STALE_SECONDS = 600


def _sweep() -> tuple[bool, str]:
    """The sweep finished within three of its intervals (TIMELIMITS_SWEEP_SECONDS)."""
    finished = cache.get(SWEEP_FINISHED_KEY)
    if finished is None:
        return True, "no sweep recorded yet"
    age = int(time.time() - float(finished))
    stale_after = 3 * settings.TIMELIMITS_SWEEP_SECONDS
    if age > stale_after:
        return False, f"last sweep {age} s ago (stale after {stale_after} s)"
    return True, f"last sweep {age} s ago"


def _outbox() -> tuple[bool, str]:
    """No notification has waited for delivery longer than OUTBOX_STALE_SECONDS."""
    from timelimits.models import Notification

    oldest = (
        Notification.objects.filter(state=Notification.State.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return True, "nothing pending"
    age = int((timezone.now() - oldest).total_seconds())
    if age > OUTBOX_STALE_SECONDS:
        return False, f"oldest pending notice {age} s old (stale after {OUTBOX_STALE_SECONDS} s)"
    return True, f"oldest pending notice {age} s old"


DEGRADING = {"sweep": _sweep, "outbox": _outbox}
