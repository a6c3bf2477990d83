"""Complaint statistics by accused agency and month for other systems.

The figures are read from the public statistics' monthly rollup
(``complaints.stats``, table ``AgencyMonthStats``), so the API and the public
page can never disagree: same counting rules (a month is the cohort of cases
submitted in it), same refresh schedule, same minimum number of cases below
which a rate is withheld (``PublicPolicy.ranking_min_cases``).

What the rates count (``complaints.stats`` says it in full):
* ``on_time_rate`` = on_time / (on_time + late + overdue) over the handling clocks, one
  per handling round: a case past its handling due time counts as late at once,
  concluded (``late``) or still open (``overdue``, as of the refresh);
* ``satisfaction_rate`` = satisfied / rated, one rating per handling round (a case rated
  不满意, reopened, then rated 满意 is one dissatisfied and one satisfied rating).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from complaints.models import AgencyMonthStats, PublicPolicy
from complaints.stats import Figures, add_months, month_start


def _month(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def complaint_stats_by_agency_month(
    *, agency_code: str | None = None, start: str | None = None, end: str | None = None
) -> list[dict]:
    """Rows of (agency, month) with counts and rates; the last twelve months by default."""
    this_month = month_start(timezone.localdate())
    first = _month(start, add_months(this_month, -11))
    last = _month(end, this_month)
    min_cases = PublicPolicy.current().ranking_min_cases
    qs = AgencyMonthStats.objects.filter(month__gte=first, month__lte=last)
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    rows = qs.select_related("agency").order_by("month", "agency__code")
    result = []
    for row in rows:
        figures = Figures(
            label=row.agency.name,
            received=row.received,
            concluded=row.concluded,
            on_time=row.on_time,
            late=row.late,
            overdue=row.overdue,
            rated=row.rated,
            satisfied=row.satisfied,
            min_cases=min_cases,
        )
        result.append(
            {
                "agency": row.agency.code,
                "agency_name": row.agency.name,
                "month": row.month.strftime("%Y-%m"),
                "received": row.received,
                "concluded": row.concluded,
                "on_time": row.on_time,
                "late": row.late,
                "overdue": row.overdue,
                "timed": figures.timed,
                "on_time_rate": figures.on_time_rate,
                "rated": row.rated,
                "satisfied": row.satisfied,
                "satisfaction_rate": figures.satisfaction_rate,
            }
        )
    return result
