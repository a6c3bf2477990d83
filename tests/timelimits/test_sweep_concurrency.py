"""The sweep under real concurrency on PostgreSQL (committed data, several connections).

- two sweeps at the same time change each deadline once;
- a sweep holding rows does not block another, which skips them (SKIP LOCKED);
- a sweep that dies after its first batch leaves nothing half done, and the next finishes.
"""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection, connections

from tests.timelimits.conftest import at
from timelimits import sweep as sweep_module
from timelimits.models import Deadline, DeadlineEvent, Notification
from timelimits.services import deadline_start

# Committed rows are needed for several connections to see them; serialized_rollback
# restores the seeded calendar and policies after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

N = 40
NOW = at(2026, 3, 21)  # after warn_at (3/20 17:30), before due (3/23 17:30)


@pytest.fixture
def clocks(agency_a, clerk_a, category):
    from tests.conftest import make_agency

    subjects = [make_agency(name=f"对象{n}", category=category) for n in range(N)]
    return [
        deadline_start(
            subject=s,
            kind="complaint.handle",
            agency=agency_a,
            responsible=clerk_a,
            started_at=at(2026, 3, 2),
        )
        for s in subjects
    ]


def raw_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**{k: v for k, v in params.items() if k != "prepare_threshold"})


def warn_events_per_deadline() -> list[int]:
    return [
        DeadlineEvent.objects.filter(deadline=d, type="warn").count()
        for d in Deadline.objects.all()
    ]


def test_two_sweeps_at_the_same_time_change_each_deadline_once(clocks):
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(sweep_module.sweep(now=NOW, batch_size=3))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.changed for r in results) == N
    assert warn_events_per_deadline() == [1] * N
    # One yellow notice per deadline and channel (in-app + e-mail), none doubled.
    assert Notification.objects.count() == 2 * N


def test_a_sweep_skips_rows_another_sweep_holds_and_does_not_wait(clocks):
    held = raw_connection()
    try:
        with held.cursor() as cur:
            cur.execute(
                "SELECT id FROM timelimits_deadline WHERE next_action_at <= %s "
                "ORDER BY next_action_at, id LIMIT 5 FOR UPDATE",
                [NOW],
            )
            locked = {row[0] for row in cur.fetchall()}
        result = sweep_module.sweep(now=NOW, batch_size=10, keep_ids=True)
        assert result.changed == N - 5
        assert locked.isdisjoint(result.ids)
    finally:
        held.rollback()
        held.close()
    assert sweep_module.sweep(now=NOW).changed == 5
    assert warn_events_per_deadline() == [1] * N


def test_a_sweep_killed_mid_statement_leaves_nothing_half_done(clocks):
    doomed = raw_connection()
    with doomed.cursor() as cur:
        cur.execute(sweep_module.SWEEP_SQL, {"now": NOW, "batch": 10, **sweep_module._texts()})
        assert len(cur.fetchall()) == 10
    doomed.close()  # the process died before COMMIT: PostgreSQL rolls the batch back
    assert not DeadlineEvent.objects.filter(type="warn").exists()
    assert set(Deadline.objects.values_list("light", flat=True)) == {"green"}
    assert sweep_module.sweep(now=NOW).changed == N
    assert warn_events_per_deadline() == [1] * N


def test_a_sweep_dying_after_its_first_batch_is_finished_by_the_next(clocks, monkeypatch):
    real_digest = sweep_module._digest
    calls = {"n": 0}

    def digest_then_die(rows, *, now):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_digest(rows, now=now)

    monkeypatch.setattr(sweep_module, "_digest", digest_then_die)
    with pytest.raises(SystemExit):
        sweep_module.sweep(now=NOW, batch_size=10)
    # The first batch is complete (lights, events, notices); the second left no trace.
    assert Deadline.objects.filter(light="yellow").count() == 10
    assert DeadlineEvent.objects.filter(type="warn").count() == 10
    assert Notification.objects.count() == 20
    monkeypatch.undo()
    assert sweep_module.sweep(now=NOW, batch_size=10).changed == N - 10
    assert warn_events_per_deadline() == [1] * N
    assert Notification.objects.count() == 2 * N
