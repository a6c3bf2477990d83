"""The expected completion date promised at intake, reused per process while it cannot change."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from complaints import clocks
from timelimits.models import TimeLimitPolicy

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _forget_promises():
    clocks._promises.clear()
    yield
    clocks._promises.clear()


def _moments(start: dt.datetime, *, hours: int):
    """Every half hour from ``start``, 30 s early: the probes after it straddle the turn
    of each day and each half hour a closing time may fall on."""
    moment = start - dt.timedelta(seconds=30)
    while moment < start + dt.timedelta(hours=hours):
        yield moment
        moment += dt.timedelta(minutes=30)


@pytest.mark.parametrize(
    "start",
    [
        dt.datetime(2026, 9, 30, 0, 0, tzinfo=SHANGHAI),  # the eve of the National Day week
        dt.datetime(2026, 12, 31, 12, 0, tzinfo=SHANGHAI),  # the turn of the year
        dt.datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI),  # a Friday's closing time
    ],
)
def test_a_reused_promise_is_the_date_counted_afresh_for_every_moment_it_covers(start, centre):
    for first in _moments(start, hours=36):
        clocks._promises.clear()
        clocks.expected_by_at(first, is_urgent=False)  # remembered from here, if it can be
        for later in (first + dt.timedelta(seconds=s) for s in (1, 30, 59, 60, 61)):
            reused = clocks.expected_by_at(later, is_urgent=False)
            assert reused == clocks._expected_by(later, is_urgent=False), later


def test_an_urgent_complaint_is_promised_its_own_shorter_date(centre):
    moment = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    ordinary = clocks.expected_by_at(moment, is_urgent=False)
    urgent = clocks.expected_by_at(moment, is_urgent=True)
    assert urgent == clocks._expected_by(moment, is_urgent=True)
    assert urgent < ordinary


def test_an_edited_handling_policy_changes_the_next_promise_at_once(centre):
    moment = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
    before = clocks.expected_by_at(moment, is_urgent=False)
    TimeLimitPolicy.objects.filter(kind=clocks.HANDLE, category="").update(limit=30)
    after = clocks.expected_by_at(moment + dt.timedelta(seconds=1), is_urgent=False)
    assert after > before
    assert after == clocks._expected_by(moment, is_urgent=False)
