"""Public statistics of complaints (效能服务连心网): the monthly rollup and the reads over it.

What each figure counts — each complaint in the month it was submitted (a cohort, so
a month's figures settle as its cases finish); merged duplicates are not counted:

* 受理 received — complaints submitted;
* 办结 concluded — those that reached an outcome (concluded, replied, called back, closed);
* 按时办结率 on-time rate = 按时办结 ÷ (按时办结 + 超时办结 + 超期未办结), over the handling
  clocks on the deadline engine (``complaint.handle``, one per handling round):
  按时办结 ``on_time`` — stopped by the conclusion by its due time (met);
  超时办结 ``late`` — stopped after it (missed);
  超期未办结 ``overdue`` — still open past its due time when the rollup was refreshed
  (running, or paused after it had turned red). A case is late as soon as it is past
  due, concluded or not; a clock not yet due is not counted yet, a cancelled one
  (returned, merged) never;
* 满意率 satisfaction = (满意 + 基本满意) ÷ 评价数, one rating per handling round — the
  complainant's own, else the callback's (回访). A case rated 不满意, reopened and then
  rated 满意 counts one dissatisfied and one satisfied rating.

``stats_refresh`` rebuilds whole months in one transaction — delete them, count with
three GROUP BY queries (cases with their current round, the rounds kept at a reopen,
the handling clocks), insert one row per agency and month — so it is idempotent; a
periodic task refreshes the recent months (``COMPLAINTS_STATS_REFRESH_MONTHS``), which
also moves open clocks that fell due into 超期未办结, and ``manage.py`` can rebuild any
range. The page reads only the rollup (≈ agencies × months rows), never the complaints
table, and caches its rendered tables under ``version()``, which every refresh bumps on
commit.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, DateField, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from complaints.clocks import HANDLE
from complaints.models import AgencyMonthStats, Complaint, HandlingRound, PublicPolicy
from timelimits.models import Deadline

_VERSION_KEY = "complaints:stats:version"
S = Complaint.State
CONCLUDED_STATES = (S.CONCLUDED, S.REPLIED, S.CALLED_BACK, S.CLOSED)
_SATISFIED = (Complaint.Rating.SATISFIED, Complaint.Rating.BASIC)
# A round's rating: the complainant's own, else the callback's (the same fields on a
# complaint, for its current round, and on a kept HandlingRound).
_RATED = ~Q(citizen_rating="") | ~Q(callback_rating="")
_RATED_SATISFIED = Q(citizen_rating__in=_SATISFIED) | (
    Q(citizen_rating="") & Q(callback_rating__in=_SATISFIED)
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month(field: str) -> TruncMonth:
    """The first day of the month ``field`` falls in, in the portal's time zone."""
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_default_timezone())


def _by_agency_month(qs: QuerySet, *, to_complaint: str = "", **counts) -> list[dict]:
    """``counts`` of ``qs`` grouped by the accused agency and submission month of its complaint."""
    return list(
        qs.order_by()
        .values(
            accused=F(f"{to_complaint}agency_accused"),
            month=_month(f"{to_complaint}submitted_at"),
        )
        .annotate(**counts)
    )


def _counts(*, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> list[dict]:
    """Every agency × month count of the complaints submitted in [start, end)."""
    cohort = Q(submitted_at__gte=start, submitted_at__lt=end) & ~Q(state=S.MERGED)
    via = Q(complaint__submitted_at__gte=start, complaint__submitted_at__lt=end) & ~Q(
        complaint__state=S.MERGED
    )
    D = Deadline.State
    return [
        *_by_agency_month(
            Complaint.objects.filter(cohort),
            received=Count("pk"),
            concluded=Count("pk", filter=Q(state__in=CONCLUDED_STATES)),
            rated=Count("pk", filter=_RATED),
            satisfied=Count("pk", filter=_RATED_SATISFIED),
        ),
        *_by_agency_month(
            HandlingRound.objects.filter(via),
            to_complaint="complaint__",
            rated=Count("pk", filter=_RATED),
            satisfied=Count("pk", filter=_RATED_SATISFIED),
        ),
        *_by_agency_month(
            Deadline.objects.filter(via, kind=HANDLE),
            to_complaint="complaint__",
            on_time=Count("pk", filter=Q(state=D.MET)),
            late=Count("pk", filter=Q(state=D.MISSED)),
            overdue=Count(
                "pk",
                filter=Q(state=D.RUNNING, due_at__lte=now)
                | Q(state=D.PAUSED, light=Deadline.Light.RED),
            ),
        ),
    ]


@transaction.atomic
def stats_refresh(*, first_month: dt.date, last_month: dt.date) -> int:
    """Recompute the rollup for every month from ``first_month`` to ``last_month``; rows written."""
    start, end = month_start(first_month), add_months(month_start(last_month), 1)
    now = timezone.now()
    totals: dict[tuple[int, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _counts(start=_aware(start), end=_aware(end), now=now):
        key = (row.pop("accused"), row.pop("month"))
        for name, n in row.items():
            totals[key][name] += n
    AgencyMonthStats.objects.filter(month__gte=start, month__lt=end).delete()
    written = AgencyMonthStats.objects.bulk_create(
        AgencyMonthStats(agency_id=agency_id, month=month, refreshed_at=now, **counts)
        for (agency_id, month), counts in sorted(totals.items())
    )
    # Bumped now (a rollback only costs a cache miss) and again on commit, so a page
    # rendered between the two is not kept under the new version.
    _bump_version()
    transaction.on_commit(_bump_version)
    return len(written)


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
    late: int
    overdue: int
    rated: int
    satisfied: int
    min_cases: int
    agency_id: int | None = None

    @staticmethod
    def _rate(part: int, whole: int, minimum: int) -> float | None:
        return round(100 * part / whole, 1) if whole and whole >= minimum else None

    @property
    def timed(self) -> int:
        """The on-time rate's denominator: handled in time, handled late, overdue and open."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.timed, self.min_cases)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated, self.min_cases)


_COUNTS = ("received", "concluded", "on_time", "late", "overdue", "rated", "satisfied")
_SUMS = {f: Sum(f) for f in _COUNTS}


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
