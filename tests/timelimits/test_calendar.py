"""Working-day arithmetic on the official 2025/2026 arrangements, the turn of a year, and 2027."""

from __future__ import annotations

import datetime as dt

import pytest

from timelimits import calendar

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday made a working day before the Spring Festival
        (D(2026, 2, 20), False),  # Spring Festival
        (D(2026, 2, 28), True),  # make-up Saturday after it
        (D(2026, 9, 20), True),  # make-up Sunday before National Day
        (D(2026, 10, 8), True),
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),  # make-up Saturday
        (D(2026, 1, 4), True),  # make-up Sunday after New Year
        (D(2025, 1, 26), True),  # 2025 make-up Sunday before the Spring Festival
        (D(2025, 2, 3), False),
        (D(2025, 10, 8), False),  # 2025 National Day + Mid-autumn run to 10/8
        (D(2025, 10, 11), True),
        (D(2025, 4, 27), True),  # make-up Sunday before Labour Day
    ],
)
def test_official_arrangement_decides_working_days(day, working):
    assert calendar.is_working_day(day) is working


def test_twenty_working_days_skip_national_day_and_count_makeup_days():
    result = calendar.add_working_days(D(2026, 9, 18), 20)
    assert result == D(2026, 10, 22)
    assert result.provisional is False


def test_five_working_days_over_spring_festival_count_the_saturday():
    assert calendar.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_fifteen_working_days_over_2025_golden_week():
    assert calendar.add_working_days(D(2025, 9, 26), 15) == D(2025, 10, 23)


def test_start_day_is_not_counted():
    # Monday + 1 working day is Tuesday, not Monday.
    assert calendar.add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)


def test_crossing_into_unpublished_2027_is_provisional():
    result = calendar.add_working_days(D(2026, 12, 20), 20)
    # Mon–Fri minus 1 January: 12/21–12/31 gives 9, then 1/4… gives the rest.
    assert result == D(2027, 1, 18)
    assert result.provisional is True
    assert calendar.is_published_year(2027) is False


def test_turn_of_a_published_year_is_not_provisional():
    result = calendar.add_working_days(D(2025, 12, 29), 3)
    # 12/30, 12/31, then 1/1–1/3 are off and Sunday 1/4 is a make-up working day.
    assert result == D(2026, 1, 4)
    assert result.provisional is False


def test_unpublished_year_skips_fixed_date_holidays_only():
    assert calendar.is_working_day(D(2027, 10, 1)) is False  # National Day (fixed date)
    assert calendar.is_working_day(D(2027, 10, 4)) is True  # no arrangement known yet


def test_natural_days_last_day_on_holiday_moves_to_next_working_day():
    # 民法典 第203条: 9/24 + 7 days = 10/1, a holiday; the period ends on 10/8.
    result = calendar.add_natural_days(D(2026, 9, 24), 7)
    assert result == D(2026, 10, 8)


def test_natural_days_start_day_not_counted():
    assert calendar.add_natural_days(D(2026, 3, 2), 3) == D(2026, 3, 5)


def test_working_days_between_counts_the_end_not_the_start():
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2  # 10/8, 10/9
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 9, 30)) == -2
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_closing_time_is_a_setting(settings):
    settings.TIMELIMITS_OFFICE_CLOSES_AT = "18:00"
    moment = calendar.add_working_days(D(2026, 3, 2), 1).closes_at()
    assert (moment.hour, moment.minute) == (18, 0)
    # 18:00 in Beijing time (UTC+8, no daylight saving): 10:00 UTC.
    utc = moment.astimezone(dt.UTC)
    assert (utc.hour, utc.minute) == (10, 0)
