"""The rollup refresh: recompute only the days (and agencies) touched since the last run.

Steps of ``rollup_refresh``:
1. lock the watermarks (``SKIP LOCKED``: a second refresh running at the same time
   returns at once — the first one does the work);
2. for every declared source (an append-only table of an app, ``CHANGES`` in its
   ``indicators.py``): read its rows with ids above the run-before-last's high-water
   mark (rows of transactions that committed late are read once more, harmlessly)
   and collect the ``(agency, day)`` pairs they touched, per app;
3. for each app with touched days: delete its daily figures of those days and insert
   them again from its ``daily`` functions (one set-based query per indicator);
4. sum the touched months again from the daily figures;
5. recount the app's "now" figures for the touched agencies;
6. move the watermarks and record the run.

Recomputing a day replaces it whole, so a refresh is idempotent and a late or doubled
run is harmless; its cost grows with the days touched, not with the size of the base
tables (each app's ``daily`` query reads one day through an index on its date).
``rollup_rebuild`` sets the watermarks back to zero, so the next refresh recomputes
every day that has data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from supervision.models import FigureDay, FigureMonth, FigureNow, RollupRun, RollupWatermark
from supervision.registry import Registry, registry

BATCH = 5000
CHUNK_DAYS = 31  # days recomputed per query (a full rebuild reads years)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days: [(first, day after last), …]."""
    ranges: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] == day:
            ranges[-1][1] = day + dt.timedelta(days=1)
        else:
            ranges.append([day, day + dt.timedelta(days=1)])
    return [(a, b) for a, b in ranges]


def within_days(days: Iterable[dt.date]) -> Callable[[str], Q]:
    """``within(field)``: a Q selecting the moments of ``field`` that fall on ``days`` (local time)."""
    ranges = day_ranges(days)

    def within(field: str) -> Q:
        q = Q(pk__in=[])
        for start, end in ranges:
            q |= Q(**{f"{field}__gte": _aware(start), f"{field}__lt": _aware(end)})
        return q

    return within


def within_period(start: dt.date, end: dt.date) -> Callable[[str], Q]:
    """``within(field)`` for the days from ``start`` to the day before ``end``."""

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": _aware(start), f"{field}__lt": _aware(end)})

    return within


def _rows(result) -> Iterable[dict]:
    return result.iterator(chunk_size=BATCH) if hasattr(result, "iterator") else result


def _write_days(reg: Registry, app: str, days: set[dt.date]) -> int:
    written = 0
    codes = [i.code for i in reg.of_app(app) if not i.is_live]
    FigureDay.objects.filter(indicator__in=codes, day__in=days).delete()
    within = within_days(days)
    for indicator in reg.of_app(app):
        if indicator.is_live:
            continue
        batch = [
            FigureDay(
                agency_id=row["agency_id"],
                indicator=indicator.code,
                part=row.get("part") or "",
                day=row["day"],
                numerator=row["numerator"] or 0,
                denominator=row.get("denominator") or 0,
            )
            for row in _rows(indicator.daily(within=within))
            if row["agency_id"] is not None
        ]
        FigureDay.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
    return written


def _write_months(reg: Registry, app: str, months: set[dt.date]) -> int:
    codes = [i.code for i in reg.of_app(app) if not i.is_live]
    FigureMonth.objects.filter(indicator__in=codes, month__in=months).delete()
    q = Q(pk__in=[])
    for month in months:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        q |= Q(day__gte=month, day__lt=nxt)
    sums = (
        FigureDay.objects.filter(q, indicator__in=codes)
        .values("agency_id", "indicator", "part", month=TruncMonth("day"))
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
    )
    batch = [
        FigureMonth(
            agency_id=row["agency_id"],
            indicator=row["indicator"],
            part=row["part"],
            month=row["month"],
            numerator=row["n"],
            denominator=row["d"],
        )
        for row in sums.iterator(chunk_size=BATCH)
    ]
    FigureMonth.objects.bulk_create(batch, batch_size=BATCH)
    return len(batch)


def _write_now(reg: Registry, app: str, agency_ids: set[int] | None) -> int:
    written = 0
    for indicator in reg.of_app(app):
        if not indicator.is_live:
            continue
        stale = FigureNow.objects.filter(indicator=indicator.code)
        if agency_ids is not None:
            stale = stale.filter(agency_id__in=agency_ids)
        stale.delete()
        ids = sorted(agency_ids) if agency_ids is not None else None
        batch = [
            FigureNow(
                agency_id=row["agency_id"],
                indicator=indicator.code,
                part=row.get("part") or "",
                numerator=row["numerator"] or 0,
            )
            for row in _rows(indicator.now(agency_ids=ids))
            if row["agency_id"] is not None
        ]
        FigureNow.objects.bulk_create(batch, batch_size=BATCH)
        written += len(batch)
    return written


def _locked_watermarks(reg: Registry) -> dict[str, RollupWatermark] | None:
    keys = [source.key for source in reg.sources]
    RollupWatermark.objects.bulk_create(
        [RollupWatermark(source=key) for key in keys], ignore_conflicts=True
    )
    marks = {
        mark.source: mark
        for mark in RollupWatermark.objects.select_for_update(skip_locked=True).filter(
            source__in=keys
        )
    }
    return marks if len(marks) == len(keys) else None


@transaction.atomic
def rollup_refresh(*, full: bool = False) -> RollupRun | None:
    """Recompute what changed since the last refresh; None when another refresh is running."""
    started = timezone.now()
    reg = registry()
    marks = _locked_watermarks(reg)
    if marks is None:
        return None
    days: dict[str, set[dt.date]] = defaultdict(set)
    agencies: dict[str, set[int]] = defaultdict(set)
    highs: dict[str, int] = {}
    for source in reg.sources:
        mark = marks[source.key]
        high = source.model.objects.aggregate(m=Max("id"))["m"] or 0
        highs[source.key] = high
        after = 0 if full else mark.previous_id
        rows = source.model.objects.filter(id__gt=after, id__lte=high)
        for agency_id, day in source.touched(rows):
            if day is not None:
                days[source.app_label].add(day)
            if agency_id is not None:
                agencies[source.app_label].add(agency_id)
    written = 0
    for app in reg.apps():
        if days[app]:
            ordered = sorted(days[app])
            for i in range(0, len(ordered), CHUNK_DAYS):  # bounds a rebuild's memory
                written += _write_days(reg, app, set(ordered[i : i + CHUNK_DAYS]))
            written += _write_months(reg, app, {d.replace(day=1) for d in days[app]})
        if full:
            written += _write_now(reg, app, None)
        elif agencies[app]:
            written += _write_now(reg, app, agencies[app])
    for source in reg.sources:
        mark = marks[source.key]
        mark.previous_id = highs[source.key] if full else mark.last_id
        mark.last_id = highs[source.key]
        mark.save(update_fields=["previous_id", "last_id", "moved_at"])
    all_days = set().union(*days.values()) if days else set()
    all_agencies = set().union(*agencies.values()) if agencies else set()
    return RollupRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        full=full,
        days=len(all_days),
        agencies=len(all_agencies),
        rows=written,
    )


def rollup_rebuild() -> RollupRun | None:
    """Recompute every day that has data (after a data correction, or on a new deployment)."""
    return rollup_refresh(full=True)


@transaction.atomic
def rollup_recompute(*, first: dt.date, last: dt.date, chunk_days: int = 31) -> int:
    """Recompute every day from ``first`` to ``last`` for every app (after a bulk load or a
    correction made outside the services), then their months and every agency's figures of
    now; rows written. The watermarks are left as they are."""
    if last < first:
        return 0
    reg = registry()
    written = 0
    day = first
    while day <= last:
        chunk = [day + dt.timedelta(days=i) for i in range(chunk_days)]
        chunk = {d for d in chunk if d <= last}
        for app in reg.apps():
            written += _write_days(reg, app, chunk)
        day += dt.timedelta(days=chunk_days)
    months = {first.replace(day=1)}
    month = first.replace(day=1)
    while month <= last:
        months.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    for app in reg.apps():
        written += _write_months(reg, app, months)
        written += _write_now(reg, app, None)
    return written


def last_refreshed() -> dt.datetime | None:
    run = RollupRun.objects.order_by("-finished_at").values("finished_at").first()
    return run["finished_at"] if run else None
