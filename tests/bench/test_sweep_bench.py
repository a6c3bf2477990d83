"""Benchmark of the deadline sweep at city scale (``make bench``; not part of ``make test``).

1. bulk-loads 1,000,000 running deadlines with one INSERT … SELECT generate_series:
   105,000 are past their yellow moment, the rest are weeks away;
2. baseline: a per-row ORM loop (lock, derive, save(), one event, the two notices)
   over a 5,000-row sample of the due rows, extrapolated to 100,000;
3. the set-based sweep over the other 100,000 due rows (same work: lights, events,
   notices);
4. the sweep again with nothing due, at 1,000,000 rows: an index probe;
5. prints a table (rows, changed, seconds, rows/s, ratio to the baseline).

Targets (issue 4): the 100,000 in under 10 s and at least 50× the ORM loop;
nothing due under 5 ms.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from organizations.models import Agency
from tests.conftest import make_staff
from timelimits import clock
from timelimits.models import Deadline, DeadlineEvent, Notification, TimeLimitPolicy
from timelimits.sweep import sweep

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOTAL = 1_000_000
SWEPT = 100_000
SAMPLE = 5_000
USERS = 100

LOAD_SQL = """
INSERT INTO timelimits_deadline (
    subject_type_id, subject_id, kind, category, policy_id, agency_id, responsible_id,
    unit, "limit", extended_by, extension_count, pauses, started_at, warn_at, due_at,
    escalate_at, next_action_at, state, light, escalation_level, provisional)
SELECT %(ct)s, g, 'complaint.handle', '', %(policy)s, %(agency)s,
       (%(users)s::bigint[])[1 + g %% %(n_users)s],
       'working_days', 15, 0, 0, '[]'::jsonb, t.start, t.warn, t.due,
       ARRAY[t.due, t.due + interval '3 days', t.due + interval '14 days'],
       t.warn, 'running', 'green', 0, false
FROM generate_series(1, %(total)s) AS g
CROSS JOIN LATERAL (
    SELECT CASE WHEN g <= %(due)s
                THEN %(now)s - interval '1 hour' - g * interval '10 ms'
                ELSE %(now)s + interval '1 day' + (g %% 40) * interval '1 day' END AS warn,
           %(now)s - interval '20 days' AS start
) w
CROSS JOIN LATERAL (
    SELECT w.start, w.warn, w.warn + interval '1 day' AS due
) t
"""


def _load(*, now, policy, agency, users) -> None:
    content_type = ContentType.objects.get_for_model(Agency)
    with connection.cursor() as cursor:
        cursor.execute(
            LOAD_SQL,
            {
                "ct": content_type.pk,
                "policy": policy.pk,
                "agency": agency.pk,
                "users": users,
                "n_users": len(users),
                "total": TOTAL,
                "due": SWEPT + SAMPLE,
                "now": now,
            },
        )
        cursor.execute("ANALYZE timelimits_deadline")


def _orm_loop(ids: list[int], *, now) -> None:
    """What a naive periodic task does: one row at a time, save() and create()."""
    for pk in ids:
        with transaction.atomic():
            d = Deadline.objects.select_for_update().get(pk=pk)
            light, level = clock.derive(
                now=now, warn_at=d.warn_at, due_at=d.due_at, escalate_at=d.escalate_at
            )
            d.light, d.escalation_level = light, level
            d.next_action_at = clock.next_action(
                light=light,
                level=level,
                warn_at=d.warn_at,
                due_at=d.due_at,
                escalate_at=d.escalate_at,
            )
            d.save()
            DeadlineEvent.objects.create(
                deadline=d, type="warn", at=d.warn_at, light=light, level=level
            )
            for channel in ("in_app", "email"):
                Notification.objects.get_or_create(
                    recipient_id=d.responsible_id,
                    channel=channel,
                    dedupe_key=f"deadline:{d.pk}:{light}:{level}:{d.due_at.timestamp():.0f}",
                    defaults={"subject": "【黄灯】即将到期", "body": ""},
                )


def test_sweep_of_100k_changes_among_1m_deadlines(agency_a, monkeypatch):
    monkeypatch.setattr("timelimits.sweep.enqueue_delivery", lambda: None)
    now = timezone.now()
    policy = TimeLimitPolicy.objects.get(kind="complaint.handle", category="")
    users = [make_staff(agency=agency_a, roles=["承办人"]).pk for _ in range(USERS)]

    started = time.perf_counter()
    _load(now=now, policy=policy, agency=agency_a, users=users)
    load_seconds = time.perf_counter() - started

    sample = list(
        Deadline.objects.filter(subject_id__gt=SWEPT, subject_id__lte=SWEPT + SAMPLE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    started = time.perf_counter()
    _orm_loop(sample, now=now)
    orm_seconds = time.perf_counter() - started
    orm_rate = len(sample) / orm_seconds

    started = time.perf_counter()
    result = sweep(now=now)
    sweep_seconds = time.perf_counter() - started
    sweep_rate = result.changed / sweep_seconds

    idle = []
    for _ in range(21):
        started = time.perf_counter()
        nothing = sweep(now=now)
        idle.append(time.perf_counter() - started)
        assert nothing.changed == 0
    idle_seconds = statistics.median(idle)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM timelimits_deadline WHERE next_action_at <= %s "
            "ORDER BY next_action_at LIMIT 5000 FOR UPDATE SKIP LOCKED",
            [now],
        )
        plan = " / ".join(row[0].strip() for row in cursor.fetchall())

    assert result.changed == SWEPT
    assert DeadlineEvent.objects.filter(type="warn").count() == SWEPT + SAMPLE
    assert Notification.objects.count() == 2 * (SWEPT + SAMPLE)

    extrapolated = SWEPT / orm_rate
    rows = [
        (f"per-row ORM loop ({SAMPLE:,} sample → 100k)", TOTAL, SWEPT, extrapolated, orm_rate),
        (
            f"set-based sweep ({result.batches} batches)",
            TOTAL,
            result.changed,
            sweep_seconds,
            sweep_rate,
        ),
        ("sweep with nothing due (median of 21)", TOTAL, 0, idle_seconds, None),
    ]
    print()
    print(f"loaded {TOTAL:,} deadlines in {load_seconds:.1f} s; sweep batches: {result.batches}")
    print(f"{'':<42}{'rows':>11}{'changed':>10}{'seconds':>10}{'rows/s':>10}{'ratio':>8}")
    for name, total, changed, seconds, rate in rows:
        ratio = f"{rate / orm_rate:.1f}x" if rate else "—"
        rate_text = f"{rate:,.0f}" if rate else "—"
        print(f"{name:<42}{total:>11,}{changed:>10,}{seconds:>10.4f}{rate_text:>10}{ratio:>8}")
    print(f"idle sweep plan: {plan}")
    print(
        f"targets: 100k < 10 s -> {'met' if sweep_seconds < 10 else 'NOT met'}; "
        f">= 50x ORM -> {'met' if sweep_rate / orm_rate >= 50 else 'NOT met'}; "
        f"idle < 5 ms -> {'met' if idle_seconds < 0.005 else 'NOT met'}"
    )
