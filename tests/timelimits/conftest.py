from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    """An aware Asia/Shanghai moment."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def subject(agency_a):
    # Any model instance can carry clocks; an agency row keeps these tests independent of other apps.
    return agency_a


@pytest.fixture(autouse=True)
def no_stray_delivery_messages(monkeypatch):
    """Committed changes enqueue delivery on the shared broker; tests that want a worker say so."""
    from timelimits import outbox

    sent: list[tuple] = []
    monkeypatch.setattr(outbox, "publish_delivery", lambda *a, **k: sent.append((a, k)))
    return sent
