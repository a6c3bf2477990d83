"""Complaint statistics by accused agency and month, for other systems.

(The public statistics page may grow its own selector; when it does, this one
should become a thin call to it so the two can never disagree.)

One grouped query: received = complaints submitted in the month; concluded =
those with an outcome; on time = concluded while the handling clock was met
(the deadline engine's ``complaint.handle`` clock ended in state ``met``);
satisfaction = 满意 + 基本满意 over the rated ones, the office's callback (回访)
taking precedence over the citizen's own rating.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone

from complaints.clocks import HANDLE
from complaints.models import Complaint
from timelimits.models import Deadline

_RATED_WELL = (Complaint.Rating.SATISFIED, Complaint.Rating.BASIC)


def _month_start(value: str | None, default: dt.date) -> dt.date:
    if not value:
        return default
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def complaint_stats_by_agency_month(
    *, agency_code: str | None = None, start: str | None = None, end: str | None = None
) -> list[dict]:
    today = timezone.localdate()
    this_month = today.replace(day=1)
    months = this_month.year * 12 + this_month.month - 1 - 11  # the last twelve months
    default_start = dt.date(months // 12, months % 12 + 1, 1)
    first = _month_start(start, default_start)
    last = _month_start(end, this_month)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(_next_month(last), dt.time.min, tzinfo=tz)

    met = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint),
        subject_id=OuterRef("pk"),
        kind=HANDLE,
        state=Deadline.State.MET,
    )
    qs = Complaint.objects.filter(submitted_at__gte=since, submitted_at__lt=until).exclude(
        state=Complaint.State.MERGED  # a merged duplicate is counted once, in its target
    )
    if agency_code:
        qs = qs.filter(agency_accused__code=agency_code)
    rating = Coalesce(NullIf("callback_rating", Value("")), NullIf("citizen_rating", Value("")))
    rows = (
        qs.annotate(month=TruncMonth("submitted_at", tzinfo=tz), on_time_flag=Exists(met))
        .annotate(rating=rating)
        .values("agency_accused__code", "agency_accused__name", "month")
        .annotate(
            received=Count("pk"),
            concluded=Count("pk", filter=Q(concluded_at__isnull=False)),
            on_time=Count("pk", filter=Q(concluded_at__isnull=False, on_time_flag=True)),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            satisfied=Count("pk", filter=Q(rating__in=_RATED_WELL)),
        )
        .order_by("month", "agency_accused__code")
    )
    return [
        {
            "agency": row["agency_accused__code"],
            "agency_name": row["agency_accused__name"],
            "month": timezone.localtime(row["month"], tz).strftime("%Y-%m"),
            "received": row["received"],
            "concluded": row["concluded"],
            "on_time": row["on_time"],
            "on_time_rate": round(row["on_time"] / row["concluded"], 4)
            if row["concluded"]
            else None,
            "rated": row["rated"],
            "satisfied": row["satisfied"],
            "satisfaction_rate": round(row["satisfied"] / row["rated"], 4)
            if row["rated"]
            else None,
        }
        for row in rows
    ]
