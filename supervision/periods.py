"""Periods of rankings and the dashboard: a month, a quarter or a year, spelled in URLs as
``2026-11``, ``2026-Q4`` and ``2026``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from efficiency_portal.errors import ApplicationError

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
_LENGTH = {MONTH: 1, QUARTER: 3, YEAR: 12}


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date  # the first day of its first month

    @property
    def months(self) -> list[dt.date]:
        return [add_months(self.start, i) for i in range(_LENGTH[self.kind])]

    @property
    def first_month(self) -> dt.date:
        return self.start

    @property
    def last_month(self) -> dt.date:
        return add_months(self.start, _LENGTH[self.kind] - 1)

    @property
    def end(self) -> dt.date:
        """The day after the period (exclusive end)."""
        return add_months(self.start, _LENGTH[self.kind])

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == YEAR:
            return _("%(y)s年") % {"y": self.start.year}
        if self.kind == QUARTER:
            return _("%(y)s年第%(q)s季度") % {
                "y": self.start.year,
                "q": (self.start.month - 1) // 3 + 1,
            }
        return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}

    def shifted(self, n: int) -> Period:
        return Period(self.kind, add_months(self.start, n * _LENGTH[self.kind]))

    def previous(self, count: int) -> list[Period]:
        """The ``count`` periods ending with this one, oldest first."""
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]

    def is_future(self, today: dt.date | None = None) -> bool:
        return self.start > (today or timezone.localdate())

    def __str__(self) -> str:
        return self.key


def containing(kind: str, day: dt.date) -> Period:
    if kind == YEAR:
        return Period(YEAR, dt.date(day.year, 1, 1))
    if kind == QUARTER:
        return Period(QUARTER, dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return Period(MONTH, day.replace(day=1))


def current(kind: str) -> Period:
    return containing(kind, timezone.localdate())


_PATTERNS = [
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTH),
]


def parse(text: str, *, field: str = "period") -> Period:
    """``2026``, ``2026-Q4`` or ``2026-11``; anything else is a clear error."""
    text = (text or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            break
        if kind == YEAR:
            return Period(YEAR, dt.date(year, 1, 1))
        if kind == QUARTER:
            return Period(QUARTER, dt.date(year, (int(match.group(2)) - 1) * 3 + 1, 1))
        return Period(MONTH, dt.date(year, int(match.group(2)), 1))
    raise ApplicationError(
        _("统计期“%(text)s”无法识别：请写作 2026、2026-Q4 或 2026-11。") % {"text": text[:20]},
        code="bad_period",
        field=field,
    )
