"""Migration 0011 removes the API acceptance queue only once nothing in it waits to be filed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.complaints.conftest import submit

BEFORE = [("complaints", "0010_stats_count_late_and_overdue")]
AFTER = [("complaints", "0011_remove_api_acceptance_queue")]
TABLE = "complaints_acceptedfiling"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_queue_is_removed_only_once_every_accepted_complaint_is_filed(
    agency_a, attitude, centre
):
    filed = submit(agency=agency_a, category=attitude).complaint
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    AcceptedFiling = old.get_model("complaints", "AcceptedFiling")
    now = timezone.now()
    waiting = AcceptedFiling.objects.create(
        tracking_no="XN-2026-000901-3",
        query_code_hash="sha256$0$0",
        payload={"title": "窗口人员态度恶劣", "complainant_name": "王小明"},
        received_at=now - dt.timedelta(minutes=5),
        expected_by=now.date(),
        next_attempt_at=now,
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    Permission = old.get_model("auth", "Permission")
    kind, _ = ContentType.objects.get_or_create(app_label="complaints", model="acceptedfiling")
    grant = Permission.objects.create(
        content_type=kind, codename="view_acceptedfiling", name="Can view 接口投诉接收登记"
    )
    old.get_model("auth", "Group").objects.get(name="效能办").permissions.add(grant)

    with pytest.raises(CommandError) as refused:
        _migrate(AFTER)
    assert "1 complaint(s) accepted through the API are not filed yet" in str(refused.value)
    assert "XN-2026-000901-3" in str(refused.value)
    assert "accepted_file_due" in str(refused.value)  # how to drain it
    assert TABLE in _tables() and AcceptedFiling.objects.count() == 1  # nothing changed

    # The previous release's worker files it: linked to its complaint, no longer scheduled.
    AcceptedFiling.objects.filter(pk=waiting.pk).update(
        complaint_id=filed.pk, filed_at=now, payload={}, next_attempt_at=None
    )
    executor = _migrate(AFTER)
    assert TABLE not in _tables()
    assert not Permission.objects.filter(codename="view_acceptedfiling").exists()
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # as the other tests expect it
