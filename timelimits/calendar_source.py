"""Where calendar rows come from: the ``chinesecalendar`` package, or a State Council notice as CSV.

Pure functions returning ``DayRow`` tuples; ``timelimits.config.calendar_load_year``
writes them, and the seed migration uses them with historical models.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import NamedTuple

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class DayRow(NamedTuple):
    date: dt.date
    is_workday: bool
    kind: str  # workday | weekend | holiday | makeup
    name: str


def _days_of(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def package_years() -> range:
    """Years the installed ``chinesecalendar`` has published arrangements for."""
    import chinese_calendar

    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def package_rows(year: int) -> list[DayRow]:
    """Every day of ``year`` from ``chinesecalendar`` (which raises for an unpublished year)."""
    import chinese_calendar

    rows = []
    for day in _days_of(year):
        is_workday = chinese_calendar.is_workday(day)
        _, name = chinese_calendar.get_holiday_detail(day)
        label = HOLIDAY_NAMES.get(name, name or "")
        if is_workday:
            kind = "makeup" if day.weekday() >= 5 else "workday"
        else:
            kind = "holiday" if name and day in chinese_calendar.holidays else "weekend"
        rows.append(DayRow(day, is_workday, kind, label if kind != "workday" else ""))
    return rows


class NoticeError(ValueError):
    """A line of the notice CSV that cannot be read; the message names the line."""


def notice_rows(year: int, text: str) -> list[DayRow]:
    """Every day of ``year`` from a notice CSV: ``date,type[,name]`` with type holiday or workday.

    ``holiday`` lines are days off (法定节假日 and the days joined to them);
    ``workday`` lines are make-up working days (调休上班) on a weekend. Other days
    follow the week: Monday–Friday work, Saturday and Sunday rest.
    """
    marked: dict[dt.date, tuple[str, str]] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for number, line in enumerate(reader, start=1):
        if not line or not line[0].strip() or line[0].strip().startswith("#"):
            continue
        if line[0].strip().lower() == "date":
            continue  # header
        try:
            day = dt.date.fromisoformat(line[0].strip())
        except ValueError:
            raise NoticeError(f"line {number}: {line[0]!r} is not a date (YYYY-MM-DD)") from None
        kind = line[1].strip().lower() if len(line) > 1 else ""
        if kind not in ("holiday", "workday"):
            raise NoticeError(f"line {number}: type must be holiday or workday, not {kind!r}")
        if day.year != year:
            raise NoticeError(f"line {number}: {day} is not in {year}")
        if day in marked:
            raise NoticeError(f"line {number}: {day} is listed twice")
        marked[day] = (kind, line[2].strip() if len(line) > 2 else "")
    if not any(kind == "holiday" for kind, _ in marked.values()):
        raise NoticeError(f"no holiday lines for {year}: is this the right file?")
    rows = []
    for day in _days_of(year):
        weekend = day.weekday() >= 5
        kind, name = marked.get(day, ("", ""))
        if kind == "holiday":
            rows.append(DayRow(day, False, "holiday", name))
        elif kind == "workday":
            rows.append(DayRow(day, True, "makeup" if weekend else "workday", name))
        else:
            rows.append(DayRow(day, not weekend, "weekend" if weekend else "workday", ""))
    return rows
