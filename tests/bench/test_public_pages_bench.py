"""Benchmark of the follow page and the public statistics page with 1,000,000 complaints
(``make bench``; not part of ``make test``). Target (issue 5): p99 under 100 ms each.

1. bulk-loads 1,000,000 complaints with one INSERT … SELECT generate_series over 40
   agencies and 24 months (75% answered with a reply, the rest in handling), with the
   public search index dropped during the load and rebuilt after it, then ANALYZE;
2. files 100 more complaints through ``complaint_submit`` and walks half of them to
   "replied" through the services, so their follow pages have real timelines, clocks
   and replies, and their number + query code are known;
3. rebuilds the statistics rollup for the 24 months (``stats_refresh``) and times it;
4. measures, in-process through the whole middleware stack (Django's test client), N
   requests each after a warm-up: the home page (baseline: a template and no query),
   the follow page's POST (number + code checked, then the redirect), the follow page
   itself (case remembered in the session: case, timeline, current clock), the
   statistics page, and — for information — the public case list and a search;
5. prints a table: p50, p99, mean, and p99 as a ratio to the baseline's.
No timed assertion: only that every response was the expected one.
"""

from __future__ import annotations

import itertools
import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import stats
from complaints.models import Complaint, ComplaintCategory
from organizations.models import AgencyCategory
from organizations.roles import Role
from tests.complaints.conftest import submit, to_state
from tests.conftest import make_agency, make_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOTAL = int(os.environ.get("BENCH_COMPLAINTS", "1000000"))
AGENCIES = 40
SAMPLE = 100
REQUESTS = 300
INFO_REQUESTS = 100  # the (info) rows: not under the target
WARMUP = 30

PHRASES = [
    "窗口工作人员态度恶劣，办营业执照被推诿三次",
    "不动产登记材料要求反复变化，跑了五趟仍未办结",
    "社保窗口排队两小时，工作人员中途离岗",
    "电话咨询无人接听，网上留言一个月没有回复",
    "收取了没有依据的资料费和加急费",
    "审批超过承诺时限，催问时被告知等通知",
    "工作人员上班时间玩手机，对群众询问不理不睬",
    "要求提供其他部门已经出具过的证明材料",
]

LOAD_SQL = """
INSERT INTO complaints_complaint (
    tracking_no, query_code_hash, submission_key_hash, category_id, agency_accused_id,
    handling_agency_id, title, description, accused_person, anonymous, consent_share_identity,
    complainant_name, complainant_phone, complainant_id_number, complainant_email, state,
    is_urgent, channel, plan_routing, plan_note, routing, outcome, findings, reply_text,
    callback_rating, citizen_rating, citizen_comment, submitted_at, registered_at, routed_at,
    signed_at, concluded_at, replied_at, closed_at, state_before_merge, version, round_no,
    public_title, public_description, public_reply)
SELECT 'BULK-' || g, 'sha256$0$0', '', %(category)s, a.id, a.id,
       left(p.phrase, 20), p.phrase || '。第' || g || '号。', '', g %% 3 = 0, false,
       CASE WHEN g %% 3 = 0 THEN '' ELSE '市民' END, '13900000000', '', '',
       CASE WHEN g %% 4 = 0 THEN 'handling' WHEN g %% 4 = 1 THEN 'replied' ELSE 'closed' END,
       false, 'web', 'transfer', '', 'transfer',
       CASE WHEN g %% 4 = 0 THEN '' ELSE 'partly' END, '',
       CASE WHEN g %% 4 = 0 THEN '' ELSE '经核实，已责令整改并向您说明情况。' END,
       CASE WHEN g %% 4 = 2 THEN (ARRAY['satisfied','basic','dissatisfied'])[1 + g %% 3] ELSE '' END,
       '', '', t.at, t.at, t.at, t.at,
       CASE WHEN g %% 4 = 0 THEN NULL ELSE t.at + interval '10 days' END,
       CASE WHEN g %% 4 = 0 THEN NULL ELSE t.at + interval '11 days' END,
       CASE WHEN g %% 4 = 2 THEN t.at + interval '14 days' ELSE NULL END, '', 0, 1,
       -- The generated text names nobody: its public text is the text itself.
       left(p.phrase, 20), p.phrase || '。第' || g || '号。',
       CASE WHEN g %% 4 = 0 THEN '' ELSE '经核实，已责令整改并向您说明情况。' END
FROM generate_series(1, %(total)s) AS g
CROSS JOIN LATERAL (SELECT (%(agencies)s::bigint[])[1 + g %% %(n_agencies)s] AS id) a
CROSS JOIN LATERAL (SELECT (%(phrases)s::text[])[1 + g %% %(n_phrases)s] AS phrase) p
CROSS JOIN LATERAL (SELECT %(now)s - (g %% 730) * interval '1 day' - interval '1 day' AS at) t
"""
SEARCH_INDEX = """
CREATE INDEX complaint_public_search ON complaints_complaint
USING gin ((public_title || ' ' || public_description || ' ' || public_reply) gin_trgm_ops)
WHERE state IN ('replied', 'called_back', 'closed')
"""


def _load(*, category, agencies) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS complaint_public_search")
        cursor.execute(
            LOAD_SQL,
            {
                "category": category.pk,
                "agencies": [a.pk for a in agencies],
                "n_agencies": len(agencies),
                "phrases": PHRASES,
                "n_phrases": len(PHRASES),
                "total": TOTAL,
                "now": timezone.now(),
            },
        )
        cursor.execute(SEARCH_INDEX)
        cursor.execute("ANALYZE complaints_complaint")


def _measure(
    client: Client, method: str, url: str, data=None, *, expect: int, n: int = REQUESTS
) -> list[float]:
    call = client.post if method == "POST" else client.get
    times = []
    for i in range(WARMUP + n):
        started = time.perf_counter()
        response = call(url, data) if data is not None else call(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == expect, (url, response.status_code)
        if i >= WARMUP:
            times.append(elapsed)
    return times


def _uncached(client: Client, monkeypatch) -> list[float]:
    """The statistics page with its cache missed on every request (a new version each time)."""
    versions = itertools.count()
    monkeypatch.setattr(stats, "version", lambda: f"bench-{next(versions)}")
    try:
        return _measure(client, "GET", reverse("complaints:statistics"), expect=200)
    finally:
        monkeypatch.undo()


def _p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98]


def test_follow_and_statistics_pages_with_a_million_complaints(settings, tmp_path, monkeypatch):
    settings.COMPLAINTS_FILES_ROOT = tmp_path / "private"
    settings.COMPLAINTS_FOLLOW_LIMIT = 10**6
    government = AgencyCategory.objects.get(code="government")
    centre = make_agency(
        name="市效能投诉中心", category=AgencyCategory.objects.get(code="party"), code="XNB"
    )
    agencies = [make_agency(name=f"测试局{i:02d}", category=government) for i in range(AGENCIES)]
    category = ComplaintCategory.objects.get(code="attitude")
    office = make_staff(agency=centre, roles=[Role.EFFICIENCY_OFFICE])
    clerk = make_staff(agency=agencies[0], roles=[Role.HANDLER])

    started = time.perf_counter()
    _load(category=category, agencies=agencies)
    load_seconds = time.perf_counter() - started

    filed = [submit(agency=agencies[0], category=category) for _ in range(SAMPLE)]
    for item in filed[: SAMPLE // 2]:
        to_state(
            item.complaint, Complaint.State.REPLIED, office=office, clerk=clerk, agency=agencies[0]
        )
    count = Complaint.objects.count()

    this_month = stats.month_start(timezone.localdate())
    started = time.perf_counter()
    stats.stats_refresh(first_month=stats.add_months(this_month, -24), last_month=this_month)
    rollup_seconds = time.perf_counter() - started

    client = Client(REMOTE_ADDR="10.99.0.1")
    follow = reverse("complaints:follow")
    replied = filed[0]
    client.post(
        follow, {"tracking_no": replied.complaint.tracking_no, "query_code": replied.query_code}
    )
    open_case = filed[-1]
    client.post(
        follow, {"tracking_no": open_case.complaint.tracking_no, "query_code": open_case.query_code}
    )

    rows = [
        ("home page (baseline)", _measure(client, "GET", "/", expect=200)),
        (
            "follow: POST number + code",
            _measure(
                client,
                "POST",
                follow,
                {"tracking_no": replied.complaint.tracking_no, "query_code": replied.query_code},
                expect=302,
            ),
        ),
        (
            "follow page, replied case",
            _measure(client, "GET", f"{follow}?no={replied.complaint.tracking_no}", expect=200),
        ),
        (
            "follow page, open case",
            _measure(client, "GET", f"{follow}?no={open_case.complaint.tracking_no}", expect=200),
        ),
        (
            "statistics, cached tables",
            _measure(client, "GET", reverse("complaints:statistics"), expect=200),
        ),
        ("statistics, uncached", _uncached(client, monkeypatch)),
        (
            "public cases, page 1 (info)",
            _measure(
                client, "GET", reverse("complaints:public_cases"), expect=200, n=INFO_REQUESTS
            ),
        ),
        (
            "public cases, search (info)",
            _measure(
                client,
                "GET",
                reverse("complaints:public_cases") + "?q=不动产登记",
                expect=200,
                n=INFO_REQUESTS,
            ),
        ),
        (
            "public cases, rare word (info)",
            _measure(
                client,
                "GET",
                reverse("complaints:public_cases") + "?q=第777777号",
                expect=200,
                n=INFO_REQUESTS,
            ),
        ),
    ]

    base = _p99(rows[0][1])
    print()
    print(
        f"Public pages with {count:,} complaints ({AGENCIES} agencies, 24 months); load "
        f"{load_seconds:.1f} s, rollup rebuild of 25 months {rollup_seconds:.1f} s; "
        f"{REQUESTS} requests each ({INFO_REQUESTS} for info rows) after {WARMUP} warm-up, "
        "in-process test client"
    )
    print(f"{'':<32}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'p99/base':>10}")
    for label, times in rows:
        print(
            f"{label:<32}{statistics.median(times):>9.1f}{_p99(times):>9.1f}"
            f"{statistics.fmean(times):>9.1f}{_p99(times) / base:>10.1f}"
        )
