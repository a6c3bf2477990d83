"""Migration 0016 keeps the 督办 issued before graded 督办: level 一般, the case's agency, no clock."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from complaints.models import Complaint
from tests.complaints.conftest import submit

BEFORE = [("complaints", "0015_separation_of_duties")]
AFTER = [("complaints", "0016_graded_supervision")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_supervisions_become_general_to_the_handling_agency_with_no_answer_owed(
    agency_a, attitude, centre, walk, office_user
):
    handled = walk(submit(agency=agency_a, category=attitude).complaint, Complaint.State.HANDLING)
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    OldSupervision = old.get_model("complaints", "Supervision")
    row = OldSupervision.objects.create(
        complaint_id=handled.pk, issued_by_id=office_user.pk, instruction="请加快办理。"
    )
    executor = _migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    migrated = new.get_model("complaints", "Supervision").objects.get(pk=row.pk)
    assert migrated.level.code == "general"
    assert migrated.recipient_agency_id == agency_a.pk
    assert (migrated.answer, migrated.answered_at) == ("", None)
    Deadline = new.get_model("timelimits", "Deadline")
    assert not Deadline.objects.filter(kind="complaint.supervision_answer").exists()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # as the other tests expect it
