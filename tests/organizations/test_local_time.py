import datetime as dt

import pytest
from django.utils import timezone

from organizations.audit import audit
from timelimits.models import DeadlineEvent


@pytest.mark.django_db
def test_audit_rows_read_in_shanghai_time_not_utc(agency_a):
    event = audit(actor=None, verb="agency.update", subject=agency_a, agency=agency_a)
    shanghai = timezone.localtime(event.occurred_at)
    assert shanghai.utcoffset() == dt.timedelta(hours=8)
    assert str(event).startswith(shanghai.strftime("%Y-%m-%d %H:%M"))


def test_deadline_events_read_in_shanghai_time_not_utc():
    at = dt.datetime(2026, 11, 27, 2, 3, tzinfo=dt.UTC)
    event = DeadlineEvent(deadline_id=1, type="warn", at=at)
    assert "2026-11-27 10:03" in str(event)
