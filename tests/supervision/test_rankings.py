"""综合排名: the normalisation exactly as written, schemes as data, publishing freezes, recompute
makes a new version, outcomes are proposals a person issues; bad input is a clear error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from efficiency_portal.errors import ApplicationError
from organizations.models import AgencyCategory, AuditEvent
from supervision import periods, scoring
from supervision.figures import Value
from supervision.models import FigureMonth, OutcomeProposal, Ranking, RankingScheme
from supervision.services import (
    outcome_dismiss,
    outcome_issue,
    ranking_compute,
    ranking_publish,
    scheme_create,
    scheme_revise,
    scheme_update,
)
from tests.conftest import make_agency

pytestmark = pytest.mark.django_db


def rate(n, d, minimum=0):
    return Value(numerator=n, denominator=d, is_rate=True, min_sample=minimum)


def count(n):
    return Value(numerator=n, denominator=0, is_rate=False, min_sample=0)


# --------------------------------------------------------------------------- the normalisation


def test_scores_are_min_max_within_the_category_and_reversed_when_lower_is_better():
    agencies = [(1, 10), (2, 10), (3, 10), (4, 20)]
    values = {
        (1, "on_time"): rate(50, 100),
        (2, "on_time"): rate(75, 100),
        (3, "on_time"): rate(100, 100),
        (4, "on_time"): rate(10, 100),  # another category: its own min and max
        (1, "red"): count(4),
        (2, "red"): count(0),
        (3, "red"): count(1),
        (4, "red"): count(9),
    }
    rows = {
        r.agency_id: r
        for r in scoring.score(
            agencies=agencies,
            values=values,
            weights={"on_time": Decimal(1), "red": Decimal(1)},
            higher_is_better={"on_time": True, "red": False},
        )
    }
    assert [rows[a].values["on_time"]["score"] for a in (1, 2, 3)] == [0.0, 50.0, 100.0]
    assert [rows[a].values["red"]["score"] for a in (1, 2, 3)] == [0.0, 100.0, 75.0]
    assert rows[4].values["on_time"]["score"] == 100.0, "alone in its category: max = min → 100"
    assert rows[2].composite == Decimal("75.00")
    assert rows[3].composite == Decimal("87.50")
    assert [rows[a].rank for a in (3, 2, 1)] == [1, 2, 3]
    assert rows[4].rank == 1


def test_an_agency_below_the_minimum_sample_is_not_scored_and_its_weight_is_left_out():
    agencies = [(1, 10), (2, 10), (3, 10)]
    values = {
        (1, "on_time"): rate(9, 10),
        (2, "on_time"): rate(1, 2, minimum=5),  # below the minimum: not scored
        (3, "on_time"): rate(5, 10),
        (1, "satisfaction"): rate(5, 10),
        (2, "satisfaction"): rate(10, 10),
        (3, "satisfaction"): rate(10, 10),
    }
    rows = {
        r.agency_id: r
        for r in scoring.score(
            agencies=agencies,
            values=values,
            weights={"on_time": Decimal(3), "satisfaction": Decimal(1)},
            higher_is_better={"on_time": True, "satisfaction": True},
        )
    }
    assert rows[2].values["on_time"]["score"] is None
    # Only satisfaction's weight is in agency 2's denominator: 1·100 / 1.
    assert rows[2].composite == Decimal("100.00")
    assert rows[1].composite == Decimal("75.00")  # (3·100 + 1·0) / 4


def test_equal_composites_share_a_rank_and_the_next_rank_skips():
    rows = [scoring.Scored(agency_id=i, category_id=1, composite=Decimal(c)) for i, c in
            [(1, "90"), (2, "80"), (3, "80"), (4, "70")]]  # fmt: skip
    scoring.rank_in_place(rows)
    assert [r.rank for r in rows] == [1, 2, 2, 4]


def test_an_agency_with_no_data_has_no_composite_and_no_rank():
    rows = scoring.score(
        agencies=[(1, 10)],
        values={},
        weights={"on_time": Decimal(1)},
        higher_is_better={"on_time": True},
    )
    assert rows[0].composite is None and rows[0].rank is None


# --------------------------------------------------------------------------- schemes and rankings


@pytest.fixture
def ranked_city(db, category):
    """Four agencies of one category with a month of figures in the rollup."""
    agencies = [make_agency(name=f"排名单位{i}", category=category) for i in range(4)]
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for agency, (met, total) in zip(agencies, [(9, 10), (8, 10), (8, 10), (2, 10)], strict=True):
        FigureMonth.objects.create(
            agency=agency,
            indicator="complaints.handle_on_time",
            month=month,
            numerator=met,
            denominator=total,
        )
    return agencies, periods.Period(periods.MONTH, month)


def make_scheme(office_user, category, **overrides):
    fields = {
        "actor": office_user,
        "code": "monthly-test",
        "name": "月度测试排名",
        "period_kind": "month",
        "categories": [category],
        "weights": {"complaints.handle_on_time": 1},
        "outcomes": [
            {"kind": "top", "count": 1, "label": "先进单位"},
            {"kind": "bottom", "count": 1, "label": "黄牌警告"},
        ],
    }
    fields.update(overrides)
    return scheme_create(**fields)


def test_a_published_ranking_is_frozen_with_its_scheme_and_proposes_outcomes(
    office_user, category, ranked_city
):
    agencies, period = ranked_city
    scheme = make_scheme(office_user, category)
    ranking = ranking_compute(actor=office_user, scheme=scheme, period=period)
    ranks = dict(ranking.rows.values_list("agency_id", "rank"))
    assert [ranks[a.pk] for a in agencies] == [1, 2, 2, 4]
    ranking_publish(actor=office_user, ranking=ranking)
    proposals = {(p.agency_id, p.label) for p in OutcomeProposal.objects.filter(ranking=ranking)}
    assert proposals == {(agencies[0].pk, "先进单位"), (agencies[3].pk, "黄牌警告")}
    with pytest.raises(ApplicationError, match="已用于已发布的排名，不能修改"):
        scheme_update(actor=office_user, scheme=scheme, weights={"complaints.upheld": 1})
    assert AuditEvent.objects.filter(verb="ranking_publish", subject_id=str(ranking.pk)).exists()


def test_recomputing_after_a_correction_makes_a_new_version_and_keeps_both(
    office_user, category, ranked_city
):
    agencies, period = ranked_city
    scheme = make_scheme(office_user, category)
    first = ranking_compute(actor=office_user, scheme=scheme, period=period)
    ranking_publish(actor=office_user, ranking=first)
    FigureMonth.objects.filter(agency=agencies[3]).update(numerator=10)  # a correction
    with pytest.raises(ApplicationError, match="重新计算须说明原因"):
        ranking_compute(actor=office_user, scheme=scheme, period=period)
    second = ranking_compute(
        actor=office_user, scheme=scheme, period=period, reason="更正第四单位数据"
    )
    ranking_publish(actor=office_user, ranking=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, first.state) == (1, Ranking.State.SUPERSEDED)
    assert (second.version, second.state) == (2, Ranking.State.PUBLISHED)
    assert second.rows.get(agency=agencies[3]).rank == 1
    assert first.rows.get(agency=agencies[3]).rank == 4, "the first version stays as published"


def test_a_revised_scheme_is_a_new_version_and_the_published_one_is_untouched(
    office_user, category, ranked_city
):
    _agencies, period = ranked_city
    scheme = make_scheme(office_user, category)
    ranking_publish(
        actor=office_user,
        ranking=ranking_compute(actor=office_user, scheme=scheme, period=period),
    )
    revised = scheme_revise(
        actor=office_user, scheme=scheme, weights={"complaints.handle_on_time": 2}
    )
    assert (revised.code, revised.version) == (scheme.code, 2)
    assert scheme.weights.get().weight == Decimal("1.00")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"complaints.handle_on_time": -1}, "权重必须是不小于 0 的数"),
        ({"complaints.handle_on_time": 0, "complaints.satisfaction": 0}, "权重不能全部为 0"),
        ({"complaints.handle_on_time": "abc"}, "权重必须是不小于 0 的数"),
        ({"nosuch.indicator": 1}, "未知的指标"),
        ({}, "方案至少需要一个指标"),
        ({"timelimits.red_now": 1}, "实时数字，不能用于排名"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_message(office_user, category, weights, message):
    with pytest.raises(ApplicationError, match=message):
        make_scheme(office_user, category, weights=weights)
    assert not RankingScheme.objects.filter(code="monthly-test").exists()


def test_an_empty_category_is_refused(office_user, db):
    empty = AgencyCategory.objects.create(code="empty-cat", name="空类别")
    with pytest.raises(ApplicationError, match="中没有单位"):
        make_scheme(office_user, empty)
    with pytest.raises(ApplicationError, match="请至少选择一个参评单位类别"):
        make_scheme(office_user, empty, categories=[])


def test_a_future_period_is_refused(office_user, category, ranked_city):
    scheme = make_scheme(office_user, category)
    future = periods.current(periods.MONTH).shifted(1)
    with pytest.raises(ApplicationError, match="尚未开始"):
        ranking_compute(actor=office_user, scheme=scheme, period=future)
    assert not Ranking.objects.exists()


def test_a_ranking_without_data_says_insufficient_sample_and_cannot_be_published(
    office_user, category, ranked_city
):
    scheme = make_scheme(office_user, category)
    empty = periods.Period(periods.MONTH, dt.date(2025, 1, 1))
    ranking = ranking_compute(actor=office_user, scheme=scheme, period=empty)
    assert not ranking.rows.filter(rank__isnull=False).exists()
    with pytest.raises(ApplicationError, match="样本不足"):
        ranking_publish(actor=office_user, ranking=ranking)


def test_only_the_office_computes_rankings(leader, category, ranked_city, office_user):
    scheme = make_scheme(office_user, category)
    with pytest.raises(ApplicationError, match="只有效能办"):
        ranking_compute(actor=leader, scheme=scheme, period=ranked_city[1])


def test_an_outcome_is_issued_or_dismissed_by_a_person_and_dismissal_needs_a_reason(
    office_user, category, ranked_city
):
    scheme = make_scheme(office_user, category)
    ranking = ranking_compute(actor=office_user, scheme=scheme, period=ranked_city[1])
    ranking_publish(actor=office_user, ranking=ranking)
    top, bottom = OutcomeProposal.objects.order_by("rank")
    issued = outcome_issue(actor=office_user, proposal=top)
    assert issued.state == OutcomeProposal.State.ISSUED and issued.decided_by == office_user
    with pytest.raises(ApplicationError, match="不予采纳须说明理由"):
        outcome_dismiss(actor=office_user, proposal=bottom, reason=" ")
    outcome_dismiss(actor=office_user, proposal=bottom, reason="数据有误，已更正")
    with pytest.raises(ApplicationError, match="已处理"):
        outcome_issue(actor=office_user, proposal=bottom)


def test_bottom_two_years_running_is_flagged_for_the_leadership(office_user, category):
    agencies = [make_agency(name=f"年度单位{i}", category=category) for i in range(3)]
    scheme = scheme_create(
        actor=office_user,
        code="yearly-test",
        name="年度测试排名",
        period_kind="year",
        categories=[category],
        weights={"complaints.handle_on_time": 1},
        outcomes=[{"kind": "bottom_two_years", "count": 1, "label": "连续两年末位"}],
    )
    this_year = periods.current(periods.YEAR)
    for period, worst in [(this_year.shifted(-1), 2), (this_year, 2)]:
        for i, agency in enumerate(agencies):
            FigureMonth.objects.create(
                agency=agency,
                indicator="complaints.handle_on_time",
                month=period.start,
                numerator=1 if i == worst else 9,
                denominator=10,
            )
        ranking = ranking_compute(actor=office_user, scheme=scheme, period=period)
        ranking_publish(actor=office_user, ranking=ranking)
    flagged = OutcomeProposal.objects.filter(label="连续两年末位")
    assert [p.agency_id for p in flagged] == [agencies[2].pk]
    assert flagged.get().ranking.period_start == this_year.start


def test_a_count_with_no_rows_is_zero_and_scores_best_when_lower_is_better(
    office_user, category, ranked_city
):
    agencies, period = ranked_city
    FigureMonth.objects.create(
        agency=agencies[0],
        indicator="timelimits.red_cards",
        month=period.start,
        numerator=3,
    )
    scheme = make_scheme(office_user, category, weights={"timelimits.red_cards": 1})
    ranking = ranking_compute(actor=office_user, scheme=scheme, period=period)
    ranks = dict(ranking.rows.values_list("agency_id", "rank"))
    assert ranks[agencies[0].pk] == 4
    assert {ranks[a.pk] for a in agencies[1:]} == {1}, "no card rows: zero cards, ranked first"
