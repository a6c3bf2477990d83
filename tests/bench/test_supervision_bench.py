"""Benchmark of the supervision rollup (``make bench``; not part of ``make test``). Targets
(issue 12): with 10,000,000 case and clock rows, the dashboard's ranking and tiles for a
quarter over 1,000 agencies p99 under 200 ms, against the same figures aggregated from the
base tables in the same run; the rollup refresh after 10,000 changes under 2 s, growing with
the changes and not the table (refresh at 1 M and at 10 M rows: ratio ≤ 1.5).

For each size (1 M, then 10 M rows; ``BENCH_SUPERVISION_ROWS`` overrides the large one):
1. 1,000 agencies in the six categories (one INSERT … SELECT), then half the rows as
   complaints and half as their handling clocks, loaded set-based with generate_series at a
   constant density (``PER_DAY`` cases a day: a bigger table is a longer history, as a city's
   grows), plus a yellow or red card event for one clock in twenty; ANALYZE;
2. the rollup recomputed for the last 120 days (``rollup_recompute``) and the watermarks
   moved to the end of the tables, as after a deployment's first refresh;
3. the quarter's tiles and ranking (``dashboard.tiles`` + ``compute_rows`` for the default
   quarterly scheme) timed N times from the rollup, and the same figures from the base
   tables (each indicator's own ``daily`` query over the whole quarter, then the same
   scoring) timed M times;
4. 10,000 changes made set-based (10,000 open cases of the last eleven days concluded, each with
   its timeline event, and their clocks stopped with a stop event), then one
   ``rollup_refresh`` timed.
Prints a table. No timed assertion: only that the figures from the rollup equal those from
the base tables.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.utils import timezone

from organizations.models import Agency
from supervision import dashboard, figures, periods, scoring
from supervision.models import FigureDay, FigureMonth, FigureNow, RankingScheme, RollupWatermark
from supervision.registry import registry
from supervision.rollup import rollup_recompute, rollup_refresh, within_period
from supervision.selectors import Access
from supervision.services.rankings import compute_rows

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LARGE = int(os.environ.get("BENCH_SUPERVISION_ROWS", "10000000"))
SMALL = 1_000_000
AGENCIES = 1000
PER_DAY = 5000  # cases a day (constant density: more rows = a longer history)
READS = int(os.environ.get("BENCH_SUPERVISION_READS", "200"))
BASE_READS = 5
CHANGES = 10_000
RECOMPUTE_DAYS = 120

AGENCY_SQL = """
INSERT INTO organizations_agency (code, name, short_name, name_en, category_id, path, address,
                                  phone, is_active)
SELECT 'BENCH-' || g, '压测单位' || g, '单位' || g, '', c.id, '', '', '', true
FROM generate_series(1, %(n)s) g
CROSS JOIN LATERAL (SELECT (%(categories)s::bigint[])[1 + g %% %(n_cat)s] AS id) c;
UPDATE organizations_agency SET path = '/' || id || '/' WHERE code LIKE 'BENCH-%%';
"""
COMPLAINT_SQL = """
INSERT INTO complaints_complaint (
    tracking_no, query_code_hash, submission_key_hash, category_id, agency_accused_id,
    handling_agency_id, title, description, accused_person, anonymous, consent_share_identity,
    complainant_name, complainant_phone, complainant_id_number, complainant_email, state,
    is_urgent, channel, plan_routing, plan_note, routing, outcome, findings, reply_text,
    callback_rating, citizen_rating, citizen_comment, submitted_at, routed_at, concluded_at,
    state_before_merge, version, round_no, public_title, public_description, public_reply)
SELECT 'SB-' || g, 'sha256$0$0', '', %(category)s, a.id, a.id, '压测投诉', '压测', '',
       true, false, '', '', '', '',
       CASE WHEN g %% 5 = 0 THEN 'handling' ELSE 'closed' END, false, 'bench', 'transfer', '',
       'transfer', CASE WHEN g %% 5 = 0 THEN '' WHEN g %% 7 = 0 THEN 'founded' ELSE 'unfounded' END,
       '', '', CASE WHEN g %% 5 = 0 THEN '' WHEN g %% 3 = 0 THEN 'dissatisfied' ELSE 'satisfied' END,
       '', '', t.at, t.at, CASE WHEN g %% 5 = 0 THEN NULL ELSE t.at + interval '9 days' END, '', 0,
       1, '', '', ''
FROM generate_series(1, %(total)s) AS g
CROSS JOIN LATERAL (SELECT (%(agencies)s::bigint[])[1 + g %% %(n_agencies)s] AS id) a
CROSS JOIN LATERAL (SELECT %(now)s - ((g - 1) / %(per_day)s) * interval '1 day'
                           - (g %% 600) * interval '1 minute' - interval '2 hours' AS at) t
"""
DEADLINE_SQL = """
INSERT INTO timelimits_deadline (
    subject_type_id, subject_id, kind, category, policy_id, agency_id, responsible_id, unit,
    "limit", extended_by, extension_count, pauses, started_at, warn_at, due_at, escalate_at,
    next_action_at, state, light, escalation_level, provisional, stopped_at, used, remaining)
SELECT %(ct)s, c.id, 'complaint.handle', '', %(policy)s, c.handling_agency_id, NULL,
       'working_days', 15, 0, 0, '[]'::jsonb, c.routed_at, c.routed_at + interval '20 days',
       c.routed_at + interval '21 days', '{}', NULL,
       CASE WHEN c.state = 'handling' THEN 'running'
            WHEN c.id %% 11 = 0 THEN 'missed' ELSE 'met' END,
       CASE WHEN c.state = 'handling' AND c.routed_at < %(now)s - interval '21 days' THEN 'red'
            WHEN c.state = 'handling' AND c.routed_at < %(now)s - interval '20 days' THEN 'yellow'
            ELSE 'green' END,
       0, false, c.concluded_at, NULL, NULL
FROM complaints_complaint c WHERE c.tracking_no LIKE 'SB-%%'
"""
CARD_SQL = """
INSERT INTO timelimits_deadlineevent (deadline_id, type, at, recorded_at, light, level, data)
SELECT d.id, CASE WHEN d.id %% 2 = 0 THEN 'overdue' ELSE 'warn' END, d.due_at, %(now)s,
       CASE WHEN d.id %% 2 = 0 THEN 'red' ELSE 'yellow' END, 0, '{}'::jsonb
FROM timelimits_deadline d
WHERE d.kind = 'complaint.handle' AND d.id %% 20 = 0 AND d.due_at < %(now)s
"""
CHANGE_SQL = """
WITH picked AS (
    SELECT id FROM complaints_complaint
    WHERE tracking_no LIKE 'SB-%%' AND state = 'handling' AND submitted_at >= %(since)s
    ORDER BY id LIMIT %(n)s
), moved AS (
    UPDATE complaints_complaint c SET state = 'concluded', concluded_at = %(now)s,
           outcome = 'partly'
    FROM picked WHERE c.id = picked.id RETURNING c.id
), events AS (
    INSERT INTO complaints_complaintevent (complaint_id, occurred_at, verb, from_state, to_state,
                                           public_message, internal_note, data)
    SELECT id, %(now)s, 'conclude', 'handling', 'concluded', '', '', '{}'::jsonb FROM moved
    RETURNING complaint_id
), stopped AS (
    UPDATE timelimits_deadline d SET state = 'met', stopped_at = %(now)s, next_action_at = NULL
    FROM events WHERE d.subject_type_id = %(ct)s AND d.subject_id = events.complaint_id
      AND d.kind = 'complaint.handle' AND d.state = 'running'
    RETURNING d.id
)
INSERT INTO timelimits_deadlineevent (deadline_id, type, at, recorded_at, light, level, data)
SELECT id, 'stop', %(now)s, %(now)s, 'green', 0, '{"outcome": "met"}'::jsonb FROM stopped
"""


def _clear() -> None:
    """Empty the base tables of the previous size (TRUNCATE: the event tables are append-only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE timelimits_deadlineevent, timelimits_deadline, complaints_complaintevent,"
            " complaints_complaint CASCADE"
        )
    FigureDay.objects.all().delete()
    FigureMonth.objects.all().delete()
    FigureNow.objects.all().delete()
    RollupWatermark.objects.all().delete()


def _load(rows: int, *, agencies: list[int], category: int) -> float:
    from django.contrib.contenttypes.models import ContentType

    from complaints.models import Complaint
    from timelimits.models import TimeLimitPolicy

    ct = ContentType.objects.get_for_model(Complaint).pk
    policy = TimeLimitPolicy.objects.get(kind="complaint.handle", category="").pk
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            COMPLAINT_SQL,
            {
                "category": category,
                "agencies": agencies,
                "n_agencies": len(agencies),
                "total": rows // 2,
                "per_day": PER_DAY,
                "now": now,
            },
        )
        cursor.execute(DEADLINE_SQL, {"ct": ct, "policy": policy, "now": now})
        cursor.execute(CARD_SQL, {"now": now})
        cursor.execute("ANALYZE complaints_complaint")
        cursor.execute("ANALYZE timelimits_deadline")
        cursor.execute("ANALYZE timelimits_deadlineevent")
    return time.perf_counter() - started


def _settle_watermarks() -> None:
    """As after a first refresh: every source read up to its end."""
    for source in registry().sources:
        high = source.model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        RollupWatermark.objects.update_or_create(
            source=source.key, defaults={"last_id": high, "previous_id": high}
        )


def _from_rollup(scheme, quarter):
    tiles = dashboard.tiles(access=Access(True, None, None), period=quarter)
    rows = compute_rows(scheme=scheme, period=quarter)
    return tiles, rows


def _from_base_tables(scheme, quarter):
    """The same figures, each indicator's own query over the quarter on the base tables."""
    reg = registry()
    within = within_period(quarter.start, quarter.end)
    codes = set(dashboard.PERIOD_TILES) | {w.indicator for w in scheme.weights.all()}
    minimum = figures.min_samples()
    sums: dict[tuple[int, str], list[int]] = {}
    for code in codes:
        for row in reg.indicators[code].daily(within=within):
            key = (row["agency_id"], code)
            acc = sums.setdefault(key, [0, 0])
            acc[0] += row["numerator"] or 0
            acc[1] += row.get("denominator") or 0
    values = {
        key: figures.Value(n, d, reg.indicators[key[1]].is_rate, minimum.get(key[1], 0))
        for key, (n, d) in sums.items()
    }
    agencies = list(
        Agency.objects.filter(is_active=True, category__in=scheme.categories.all()).values_list(
            "pk", "category_id"
        )
    )
    weights = {w.indicator: w.weight for w in scheme.weights.all()}
    values = figures.with_zero_counts(
        values, codes=list(weights), agency_ids=[a for a, _c in agencies]
    )
    higher = {code: reg.indicators[code].higher_is_better for code in weights}
    return scoring.score(agencies=agencies, values=values, weights=weights, higher_is_better=higher)


def _time(fn, n: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98] if len(times) >= 2 else times[0]


def _run(rows: int, *, agencies: list[int], category: int, scheme) -> dict:
    _clear()
    load_seconds = _load(rows, agencies=agencies, category=category)
    today = timezone.localdate()
    started = time.perf_counter()
    rollup_recompute(first=today - dt.timedelta(days=RECOMPUTE_DAYS), last=today)
    recompute_seconds = time.perf_counter() - started
    _settle_watermarks()
    quarter = periods.current(periods.QUARTER).shifted(-1)
    if quarter.start < today - dt.timedelta(days=RECOMPUTE_DAYS - 5):
        quarter = periods.current(periods.QUARTER)
    print(
        f"\n[{rows:,}] load {load_seconds:.1f} s, recompute {recompute_seconds:.1f} s", flush=True
    )
    rollup_ms = _time(lambda: _from_rollup(scheme, quarter), READS)
    print(
        f"[{rows:,}] rollup p50 {statistics.median(rollup_ms):.1f} p99 {_p99(rollup_ms):.1f} ms",
        flush=True,
    )
    base_ms = _time(lambda: _from_base_tables(scheme, quarter), BASE_READS)
    print(f"[{rows:,}] base p99 {_p99(base_ms):.0f} ms", flush=True)
    from_rollup = {(r.agency_id, r.composite, r.rank) for r in _from_rollup(scheme, quarter)[1]}
    from_base = {(r.agency_id, r.composite, r.rank) for r in _from_base_tables(scheme, quarter)}
    assert from_rollup == from_base, "the rollup's ranking equals the base tables'"
    from django.contrib.contenttypes.models import ContentType

    from complaints.models import Complaint

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            CHANGE_SQL,
            {
                "since": now - dt.timedelta(days=11),
                "n": CHANGES,
                "now": now,
                "ct": ContentType.objects.get_for_model(Complaint).pk,
            },
        )
        changed = cursor.rowcount
    started = time.perf_counter()
    run = rollup_refresh()
    refresh_seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "load": load_seconds,
        "recompute": recompute_seconds,
        "rollup_p50": statistics.median(rollup_ms),
        "rollup_p99": _p99(rollup_ms),
        "base_p50": statistics.median(base_ms),
        "base_p99": _p99(base_ms),
        "changed": changed,
        "refresh": refresh_seconds,
        "refresh_days": run.days,
    }


def test_supervision_rollup_at_one_and_ten_million_rows():
    from organizations.models import AgencyCategory

    categories = list(AgencyCategory.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            AGENCY_SQL, {"n": AGENCIES, "categories": categories, "n_cat": len(categories)}
        )
    from complaints.models import ComplaintCategory

    agencies = list(Agency.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
    category = ComplaintCategory.objects.get(code="attitude").pk
    scheme = RankingScheme.objects.get(code="quarterly", version=1)
    results = [
        _run(size, agencies=agencies, category=category, scheme=scheme) for size in (SMALL, LARGE)
    ]
    small, large = results
    print()
    print(f"supervision rollup, {AGENCIES} agencies, {PER_DAY} cases a day")
    print("| case + clock rows | load s | recompute 120 d s | tiles+ranking p50 / p99 ms (rollup) "
          "| same from base tables p50 / p99 ms | ratio p99 | 10,000 changes: refresh s (days) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['load']:.1f} | {r['recompute']:.1f} "
            f"| {r['rollup_p50']:.1f} / {r['rollup_p99']:.1f} "
            f"| {r['base_p50']:.0f} / {r['base_p99']:.0f} "
            f"| {r['rollup_p99'] / r['base_p99']:.3f} "
            f"| {r['refresh']:.2f} ({r['refresh_days']}; {r['changed']:,} changed) |"
        )
    print(f"refresh at {large['rows']:,} / at {small['rows']:,}: "
          f"{large['refresh'] / small['refresh']:.2f}")  # fmt: skip
