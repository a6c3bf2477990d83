"""The time left in plain words: working days, then hours on the last day, then how late."""

from __future__ import annotations

import pytest

from tests.timelimits.conftest import at
from timelimits.countdown import countdown
from timelimits.models import Unit

pytestmark = pytest.mark.django_db

DUE = at(2026, 3, 4, 17, 30)  # a Wednesday, at the office's closing time


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (at(2026, 3, 2, 9, 0), "剩 2 个工作日"),  # Monday → Wednesday
        (at(2026, 3, 4, 14, 0), "剩 3 小时"),  # the due day itself: hours
        (at(2026, 3, 4, 17, 10), "剩 20 分钟"),
        (at(2026, 3, 4, 20, 45), "超期 3 小时"),
        (at(2026, 3, 8, 18, 0), "超期 4 天"),
    ],
)
def test_the_countdown_reads_in_plain_words(now, words):
    assert countdown(due_at=DUE, unit=Unit.WORKING_DAYS, now=now) == words


def test_the_countdown_counts_working_days_across_a_weekend():
    monday = at(2026, 3, 9, 17, 30)
    assert countdown(due_at=monday, now=at(2026, 3, 6, 9, 0)) == "剩 1 个工作日"
    assert countdown(due_at=monday, unit=Unit.NATURAL_DAYS, now=at(2026, 3, 6, 9, 0)) == "剩 3 天"


def test_an_hours_clock_counts_hours():
    assert countdown(due_at=DUE, unit=Unit.HOURS, now=at(2026, 3, 2, 17, 30)) == "剩 48 小时"
