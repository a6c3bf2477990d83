"""Public statistics of complaints (效能服务连心网): the monthly rollup and the reads over it.

Counting rules (each complaint counted in the month it was submitted — a cohort, so a
month's figures settle as its cases finish; merged duplicates are not counted):
* received  — complaints submitted;
* concluded — those that reached an outcome (concluded, replied, called back, closed);
* on time   — concluded with their latest handling clock (``complaint.handle``) met;
  the on-time rate is on_time / timed, where timed counts concluded cases whose clock stopped;
* satisfaction — (满意 + 基本满意) / rated, the complainant's own rating, else the callback's.

``stats_refresh`` rebuilds whole months set-based (DELETE + INSERT … SELECT, one
transaction), so it is idempotent; a periodic task refreshes the recent months
(``COMPLAINTS_STATS_REFRESH_MONTHS``) and ``manage.py`` can rebuild any range. The page
reads only the rollup (≈ agencies × months rows), never the complaints table, and
caches its rendered tables under ``version()``, which every refresh bumps on commit.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from complaints.clocks import HANDLE
from complaints.models import AgencyMonthStats, Complaint, PublicPolicy

_VERSION_KEY = "complaints:stats:version"
_REFRESH_SQL = """
INSERT INTO complaints_agencymonthstats
    (agency_id, month, received, concluded, on_time, timed, rated, satisfied, refreshed_at)
SELECT c.agency_accused_id,
       date_trunc('month', c.submitted_at AT TIME ZONE 'Asia/Shanghai')::date,
       count(*),
       count(*) FILTER (WHERE c.state IN ('concluded', 'replied', 'called_back', 'closed')),
       count(*) FILTER (WHERE h.state = 'met'),
       count(*) FILTER (WHERE h.state IN ('met', 'missed')),
       count(*) FILTER (WHERE coalesce(nullif(c.citizen_rating, ''), c.callback_rating) <> ''),
       count(*) FILTER (WHERE coalesce(nullif(c.citizen_rating, ''), c.callback_rating)
                              IN ('satisfied', 'basic')),
       now()
FROM complaints_complaint c
LEFT JOIN LATERAL (
    SELECT d.state FROM timelimits_deadline d
    WHERE d.subject_type_id = %(ct)s AND d.subject_id = c.id AND d.kind = %(kind)s
    ORDER BY d.started_at DESC, d.id DESC LIMIT 1
) h ON c.state IN ('concluded', 'replied', 'called_back', 'closed')
WHERE c.submitted_at >= %(start)s AND c.submitted_at < %(end)s AND c.state <> 'merged'
GROUP BY 1, 2
"""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def stats_refresh(*, first_month: dt.date, last_month: dt.date) -> int:
    """Recompute the rollup for every month from ``first_month`` to ``last_month``; rows written."""
    start, end = month_start(first_month), add_months(month_start(last_month), 1)
    AgencyMonthStats.objects.filter(month__gte=start, month__lt=end).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            _REFRESH_SQL,
            {
                "ct": ContentType.objects.get_for_model(Complaint).pk,
                "kind": HANDLE,
                "start": _aware(start),
                "end": _aware(end),
            },
        )
        rows = cursor.rowcount
    # Bumped now (a rollback only costs a cache miss) and again on commit, so a page
    # rendered between the two is not kept under the new version.
    _bump_version()
    transaction.on_commit(_bump_version)
    return rows


def _bump_version() -> None:
    cache.set(_VERSION_KEY, str(time.time_ns()), timeout=None)


def version() -> str:
    """Changes whenever the rollup does: the public page's cached tables are keyed on it."""
    return cache.get(_VERSION_KEY) or "0"


def stats_refresh_recent(*, months: int) -> int:
    this_month = month_start(timezone.localdate())
    return stats_refresh(first_month=add_months(this_month, 1 - months), last_month=this_month)


@dataclass
class Figures:
    """Counts and rates of one row of the public tables; a rate is None below the minimum."""

    label: str
    received: int
    concluded: int
    on_time: int
    timed: int
    rated: int
    satisfied: int
    min_cases: int
    agency_id: int | None = None

    @staticmethod
    def _rate(part: int, whole: int, minimum: int) -> float | None:
        return round(100 * part / whole, 1) if whole and whole >= minimum else None

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.timed, self.min_cases)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated, self.min_cases)


_SUMS = {f: Sum(f) for f in ("received", "concluded", "on_time", "timed", "rated", "satisfied")}


def _figures(row: dict, label: str, min_cases: int, agency_id=None) -> Figures:
    return Figures(
        label=label,
        min_cases=min_cases,
        agency_id=agency_id,
        **{f: row[f] or 0 for f in _SUMS},
    )


def stats_by_agency(*, first_month: dt.date, last_month: dt.date) -> list[Figures]:
    """One row per agency over the months, busiest first."""
    min_cases = PublicPolicy.current().ranking_min_cases
    rows = (
        AgencyMonthStats.objects.filter(month__gte=first_month, month__lte=last_month)
        .values("agency_id", "agency__name")
        .annotate(**_SUMS)
        .order_by("-received", "agency__name")
    )
    return [_figures(r, r["agency__name"], min_cases, r["agency_id"]) for r in rows]


def stats_by_month(
    *, first_month: dt.date, last_month: dt.date, agency_id: int | None = None
) -> list[Figures]:
    """One row per month (all agencies, or one), oldest first."""
    min_cases = PublicPolicy.current().ranking_min_cases
    qs = AgencyMonthStats.objects.filter(month__gte=first_month, month__lte=last_month)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    rows = qs.values("month").annotate(**_SUMS).order_by("month")
    return [_figures(r, r["month"].strftime("%Y-%m"), min_cases) for r in rows]


def ranking(figures: list[Figures], *, by: str) -> list[Figures]:
    """Agencies ranked by ``on_time_rate`` or ``satisfaction_rate``; those without a rate
    (fewer cases than the policy's minimum) are left out of the ranking."""
    ranked = [f for f in figures if getattr(f, by) is not None]
    return sorted(ranked, key=lambda f: (-getattr(f, by), f.label))


def last_refreshed() -> dt.datetime | None:
    row = AgencyMonthStats.objects.order_by("-refreshed_at").values("refreshed_at").first()
    return row["refreshed_at"] if row else None
