"""The demo seeder files complaints at every step through the services, idempotently."""

from __future__ import annotations

import io

from django.core.management import call_command

from complaints.models import Complaint


def test_seed_demo_files_complaints_at_many_steps_and_a_second_run_adds_none(db, settings):
    settings.COMPLAINTS_DEMO_CASES = 40
    call_command("seed_demo", stdout=io.StringIO())
    states = set(Complaint.objects.values_list("state", flat=True))
    assert len(states) >= 6
    assert {"submitted", "handling", "closed"} <= states
    count = Complaint.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Complaint.objects.count() == count == 40
