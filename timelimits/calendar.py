"""Working-day arithmetic on China's official calendar (法定节假日 + 调休).

The calendar is the ``WorkCalendarDay`` table (seeded from ``chinesecalendar``,
loaded for a new year with ``manage.py load_calendar``). A year with no rows has
no published arrangement yet: it is computed as Mon–Fri minus the fixed-date
holidays and every answer that touches it says ``provisional``.

    add_working_days(start, n)    -> WorkDay   the n-th working day after start (start not counted)
    add_natural_days(start, n)    -> WorkDay   民法典 第201/203条: start not counted, a last day
                                               that is not a working day moves to the next one
    working_days_between(a, b)    -> DayCount  working days in (a, b]; negative when b < a
    is_working_day(d)             -> bool
    closes_at(d)                  -> datetime  office closing time on d (setting)

``WorkDay`` is a ``date`` and ``DayCount`` an ``int``, each with ``.provisional``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from timelimits.law import FIXED_DATE_HOLIDAYS
from timelimits.versions import Versioned

# A clock longer than this many working days is refused long before the loop gets here.
_MAX_SCAN_DAYS = 366 * 5


class WorkDay(dt.date):
    """A date that remembers whether it was computed over an unpublished year."""

    provisional: bool = False

    @classmethod
    def of(cls, day: dt.date, *, provisional: bool) -> WorkDay:
        result = cls(day.year, day.month, day.day)
        result.provisional = provisional
        return result

    def closes_at(self) -> dt.datetime:
        return closes_at(self)


class DayCount(int):
    """A count of working days that remembers whether an unpublished year was involved."""

    provisional: bool = False

    @classmethod
    def of(cls, value: int, *, provisional: bool) -> DayCount:
        result = cls(value)
        result.provisional = provisional
        return result


@dataclass(frozen=True)
class Calendar:
    """An in-memory snapshot of the table: date -> is_workday for every published year."""

    days: dict[dt.date, bool] = field(default_factory=dict)
    published_years: frozenset[int] = frozenset()

    def is_published(self, day: dt.date) -> bool:
        return day.year in self.published_years

    def is_working_day(self, day: dt.date) -> bool:
        known = self.days.get(day)
        if known is not None:
            return known
        if day.year in self.published_years:
            # A published year with a missing row: treat like an ordinary week.
            return day.weekday() < 5
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS

    def add_working_days(self, start: dt.date, n: int) -> WorkDay:
        """The n-th working day after ``start``; n = 0 is ``start`` itself or the next working day."""
        day = start
        provisional = False
        if n <= 0:
            for _ in range(_MAX_SCAN_DAYS):
                provisional |= not self.is_published(day)
                if self.is_working_day(day):
                    return WorkDay.of(day, provisional=provisional)
                day += dt.timedelta(days=1)
            raise ValueError("no working day found")
        counted = 0
        for _ in range(_MAX_SCAN_DAYS * 2):
            day += dt.timedelta(days=1)
            provisional |= not self.is_published(day)
            if self.is_working_day(day):
                counted += 1
                if counted == n:
                    return WorkDay.of(day, provisional=provisional)
        raise ValueError(f"{n} working days is beyond the calendar")

    def add_natural_days(self, start: dt.date, n: int) -> WorkDay:
        day = start + dt.timedelta(days=n)
        provisional = not self.is_published(day)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
            provisional |= not self.is_published(day)
        return WorkDay.of(day, provisional=provisional)

    def working_days_between(self, a: dt.date, b: dt.date) -> DayCount:
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = 0
        provisional = False
        day = a
        while day < b:
            day += dt.timedelta(days=1)
            provisional |= not self.is_published(day)
            count += self.is_working_day(day)
        return DayCount.of(sign * count, provisional=provisional)


def _load() -> Calendar:
    from timelimits.models import WorkCalendarDay

    days = dict(WorkCalendarDay.objects.values_list("date", "is_workday"))
    return Calendar(days=days, published_years=frozenset(d.year for d in days))


_snapshot = Versioned("calendar", _load)


def current(*, versions: dict | None = None) -> Calendar:
    """The calendar as the database has it now (cached per process, revalidated per call
    with one pk lookup, or against ``versions`` already read — see ``timelimits.versions``)."""
    return _snapshot.get(versions=versions)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def office_closing_time() -> dt.time:
    hours, minutes = settings.TIMELIMITS_OFFICE_CLOSES_AT.split(":")
    return dt.time(int(hours), int(minutes))


def closes_at(day: dt.date) -> dt.datetime:
    """The aware moment the office closes on ``day`` (Asia/Shanghai)."""
    naive = dt.datetime.combine(day, office_closing_time())
    return timezone.make_aware(naive, timezone.get_default_timezone())


def add_working_days(start: dt.date | dt.datetime, n: int) -> WorkDay:
    return current().add_working_days(_as_date(start), n)


def add_natural_days(start: dt.date | dt.datetime, n: int) -> WorkDay:
    return current().add_natural_days(_as_date(start), n)


def working_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> DayCount:
    return current().working_days_between(_as_date(a), _as_date(b))


def is_working_day(day: dt.date | dt.datetime) -> bool:
    return current().is_working_day(_as_date(day))


def is_published_year(year: int) -> bool:
    return year in current().published_years
