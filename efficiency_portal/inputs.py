"""Checks of untrusted input that every surface shares: what PostgreSQL, Python's datetime
and XML cannot take, refused with a message instead of failing later with a 500.

* **NUL** (U+0000): PostgreSQL text cannot hold it; psycopg refuses the whole query.
* **Lone surrogates** (U+D800–U+DFFF without their pair): not encodable as UTF-8, so
  neither a query nor a response can carry them. Django decodes query strings and form
  bodies with replacement characters, so only JSON's ``"\\ud800"`` escapes bring them in.
* **Date-times** must lie in the years ``FIRST_YEAR``–``LAST_YEAR`` and have a UTC
  offset within ±14:00: beyond that, adding a window or applying a time zone
  overflows Python's datetime, and PostgreSQL refuses offsets past ±15:59 ("time zone
  displacement out of range"). ``date_problem`` also refuses days that do not exist
  (30 February), for code that parses dates itself.
* **Whole numbers** from a query string: ASCII digits only (``str.isdigit`` also
  accepts "²", which ``int()`` refuses) and at most PostgreSQL's bigint.

``efficiency_portal.input_guard`` applies the text checks, ``datetime_storage_problem``
and ``date_part_problem`` to every request's path and query string, ``efficiency_portal.parsers`` the first two to every API body.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Years a date parameter may name. A technical bound, not a business rule: dates near
# year 1 or 9999 overflow datetime arithmetic once a search window or a time zone is applied.
FIRST_YEAR, LAST_YEAR = 1900, 2199
# The widest UTC offset in use anywhere (UTC+14:00, Line Islands; the widest west is −12:00).
MAX_UTC_OFFSET = dt.timedelta(hours=14)
# PostgreSQL's bigint: the largest id, LIMIT or OFFSET a query can carry.
BIGINT_MAX = 2**63 - 1

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What Django's parse_date / parse_datetime and a YYYY-MM month accept, loosely enough to
# catch impossible values: a "+" left unescaped in a query string arrives as a space.
_DATE_SHAPED = re.compile(
    r"(?P<year>\d{4,})-(?P<month>\d{1,2})"
    r"(?:-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{1,2})(?::(?P<second>\d{1,2})(?:[.,]\d+)?)?"
    r"\s*(?P<offset>Z|[+\- ]\d{2}(?::?\d{2})?)?)?)?"
)


@dataclass(frozen=True)
class Problem:
    """Why a value is refused: a code for machines, a message for people."""

    code: str
    message: str


def text_problem(value: str, *, name: str) -> Problem | None:
    """NUL or a lone surrogate in ``value`` (named ``name`` in the message), else None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return Problem(
            "nul_character", _("%(name)s 含有空字符（NUL），无法处理。") % {"name": name}
        )
    return Problem(
        "invalid_unicode",
        _("%(name)s 含有无效的 Unicode 字符（孤立的代理项）。") % {"name": name},
    )


def date_problem(value: str, *, name: str) -> Problem | None:
    """For a value shaped like a date, month or date-time: why it cannot be one, else None."""
    match = _DATE_SHAPED.fullmatch(value.strip())
    if match is None:
        return None
    if problem := _year_problem(match, name):
        return problem
    try:  # only whether such a moment exists; the caller parses it
        dt.datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"] or 1),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError:
        return Problem("invalid_date", _("%(name)s 不是真实存在的日期或时间。") % {"name": name})
    return _offset_problem(match, name)


def _year_problem(match: re.Match, name: str) -> Problem | None:
    if FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
        return None
    return Problem(
        "date_out_of_range",
        _("%(name)s 的年份须在 %(first)d 至 %(last)d 年之间。")
        % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR},
    )


def _offset_problem(match: re.Match, name: str) -> Problem | None:
    offset = match["offset"]
    if not offset or offset == "Z":
        return None
    digits = offset[1:].replace(":", "")
    if dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)) <= MAX_UTC_OFFSET:
        return None
    return Problem(
        "date_out_of_range", _("%(name)s 的时区偏移超出范围（最多 ±14:00）。") % {"name": name}
    )


# Django's date lookups in a query string (the admin's date hierarchy and date filters).
_DATE_PART_LOOKUPS = ("__year", "__month", "__day")


def date_part_problem(key: str, value: str, *, name: str) -> Problem | None:
    """``…__year=`` and its kin take a number of at most four digits (Django's date hierarchy
    builds a date from it, which overflows on a larger one)."""
    if not key.endswith(_DATE_PART_LOOKUPS) or whole_number(value, maximum=9999) is not None:
        return None
    return Problem("invalid_date", _("%(name)s 须为不超过四位的数字。") % {"name": name})


def datetime_storage_problem(value: str, *, name: str) -> Problem | None:
    """For a value shaped like a date-time: why no query could carry it (a year outside
    FIRST_YEAR–LAST_YEAR, an offset past ±14:00), else None. Whether the day exists is
    left to the view's own parser, which refuses 30 February with its own message."""
    match = _DATE_SHAPED.fullmatch(value.strip())
    if match is None or match["hour"] is None:
        return None
    return _year_problem(match, name) or _offset_problem(match, name)


def whole_number(value, *, maximum: int = BIGINT_MAX) -> int | None:
    """``value`` as an int when it is ASCII digits no larger than ``maximum``, else None."""
    text = value.strip() if isinstance(value, str) else ""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
