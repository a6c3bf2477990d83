"""Fixtures for supervision: the complaint centre and cases (from the complaints tests), an
agency's history moved back in time, and the rollup refreshed."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints.models import Complaint
from tests.complaints.conftest import (  # noqa: F401  (fixtures used by these tests)
    _private_files,
    attitude,
    centre,
    new_complaint,
    office_b,
    submit,
    to_state,
    walk,
)
from timelimits.models import Deadline
from timelimits.services import apply_schedule
from timelimits.sweep import sweep


def age(complaint: Complaint, days: int) -> Complaint:
    """Move a case and its open clocks back by ``days``, then sweep (lights follow)."""
    shift = dt.timedelta(days=days)
    stamps = [
        f.name
        for f in Complaint._meta.concrete_fields
        if f.name.endswith("_at") and getattr(complaint, f.name) is not None
    ]
    Complaint.objects.filter(pk=complaint.pk).update(
        **{name: getattr(complaint, name) - shift for name in stamps}
    )
    clocks = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint),
        subject_id=complaint.pk,
        state__in=["running", "paused"],
    ).select_related("policy")
    now = timezone.now()
    for deadline in clocks:
        deadline.started_at -= shift
        apply_schedule(deadline, now=now)
        deadline.save()
    sweep(now=now)
    return Complaint.objects.get(pk=complaint.pk)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()
