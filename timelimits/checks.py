"""System checks: the administrators hear about a missing calendar year or a kind without a policy.

Both read the database, so they are tagged ``database`` (``migrate`` and
``manage.py check --database default`` run them).
"""

from __future__ import annotations

import datetime as dt

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone

# The State Council publishes next year's arrangement around November.
CALENDAR_DUE_MONTH_DAY = (11, 1)

# Kinds other apps start clocks for; each needs an active default policy. Apps add theirs
# with ``register_kinds`` in AppConfig.ready.
KNOWN_KINDS: set[str] = set()


def register_kinds(*kinds: str) -> None:
    KNOWN_KINDS.update(kinds)


def calendar_warnings(today: dt.date) -> list[Warning]:
    from timelimits.models import WorkCalendarDay

    if (today.month, today.day) < CALENDAR_DUE_MONTH_DAY:
        return []
    next_year = today.year + 1
    if WorkCalendarDay.objects.filter(date__year=next_year).exists():
        return []
    return [
        Warning(
            f"The working-day calendar for {next_year} is not loaded (明年放假安排未载入).",
            hint=(
                f"Load the State Council notice: manage.py load_calendar --year {next_year} "
                "FILE.csv, or upgrade chinesecalendar and run manage.py load_calendar "
                "--from-package. Until then deadlines in that year are provisional."
            ),
            id="timelimits.W001",
        )
    ]


def policy_warnings() -> list[Warning]:
    from timelimits.models import Deadline, TimeLimitPolicy

    covered = set(
        TimeLimitPolicy.objects.filter(is_active=True, category="").values_list("kind", flat=True)
    )
    in_use = set(
        Deadline.objects.filter(state__in=["running", "paused"])
        .values_list("kind", flat=True)
        .distinct()
    )
    return [
        Warning(
            f"No active default time-limit policy for kind {kind!r} (时限类型缺少规则).",
            hint="Add or re-activate a TimeLimitPolicy with this kind and an empty category.",
            id="timelimits.W002",
        )
        for kind in sorted((KNOWN_KINDS | in_use) - covered)
    ]


@register(Tags.database)
def check_calendar_and_policies(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    try:
        return calendar_warnings(timezone.localdate()) + policy_warnings()
    except DatabaseError:  # tables not migrated yet
        return []
