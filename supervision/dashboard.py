"""The data of the dashboard's pieces, from the rollup only: tiles, ranking bars per category,
the 12-period trend against the category's median, the heat table. Views turn them into
charts (ECharts, data through ``json_script``), tables and CSV."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.urls import reverse

from organizations.models import Agency, AgencyCategory
from supervision import figures, periods
from supervision.figures import Value
from supervision.models import Ranking, RankingScheme
from supervision.registry import registry
from supervision.selectors import Access, agencies_visible
from supervision.services.rankings import compute_rows

PERIOD_TILES = [
    "complaints.received",
    "complaints.concluded",
    "complaints.handle_on_time",
    "complaints.satisfaction",
]
NOW_TILES = ["timelimits.red_now", "timelimits.yellow_now", "complaints.open_supervision"]
TREND_CODE = "complaints.handle_on_time"


def _ids(access: Access):
    return None if access.agency_ids is None else sorted(access.agency_ids)


@dataclass
class Tile:
    code: str
    label: str
    value: float | None
    unit: str
    url: str


def cases_url(code: str, *, period: periods.Period | None = None, agency_id=None, part="") -> str:
    query = [f"code={code}"]
    if period is not None:
        query.append(f"period={period.key}")
    if agency_id is not None:
        query.append(f"agency={agency_id}")
    if part:
        query.append(f"part={part}")
    return reverse("supervision:cases") + "?" + "&".join(query)


def tiles(*, access: Access, period: periods.Period, agency_id: int | None = None) -> list[Tile]:
    reg = registry()
    ids = [agency_id] if agency_id is not None else _ids(access)
    values = figures.period_values(codes=PERIOD_TILES, period=period, agency_ids=ids)
    minimum = figures.min_samples()
    out = []
    for code in PERIOD_TILES:
        indicator = reg.indicators[code]
        n, d = figures.totals(values, code)
        total = Value(n, d, indicator.is_rate, minimum.get(code, 0) if indicator.is_rate else 0)
        out.append(
            Tile(
                code,
                indicator.name,
                total.value,
                indicator.unit,
                cases_url(code, period=period, agency_id=agency_id),
            )
        )
    now = figures.now_values(codes=NOW_TILES, agency_ids=ids)
    for code in NOW_TILES:
        indicator = reg.indicators[code]
        total = sum(v for (_a, c), v in now.items() if c == code)
        out.append(
            Tile(code, indicator.name, total, indicator.unit, cases_url(code, agency_id=agency_id))
        )
    return out


def scheme_for(period: periods.Period, code: str | None = None) -> RankingScheme | None:
    schemes = RankingScheme.objects.filter(is_active=True).order_by("code", "-version")
    if code:
        return schemes.filter(code=code).first()
    return schemes.filter(period_kind=period.kind).first() or schemes.first()


@dataclass
class Bar:
    agency_id: int
    name: str
    composite: float | None
    rank: int | None
    mark: str  # "red", "yellow" or "" — the agency's lights now
    url: str
    values: dict = field(default_factory=dict)


@dataclass
class CategoryRanking:
    category: AgencyCategory
    bars: list[Bar]


@dataclass
class RankingView:
    scheme: RankingScheme | None
    published: Ranking | None
    categories: list[CategoryRanking]


def ranking(
    *,
    access: Access,
    period: periods.Period,
    scheme: RankingScheme | None,
    category: AgencyCategory | None = None,
) -> RankingView:
    """The published ranking of the period when there is one, else computed now (a preview)."""
    if scheme is None:
        return RankingView(None, None, [])
    published = (
        Ranking.objects.filter(
            code=scheme.code,
            period_kind=period.kind,
            period_start=period.start,
            state=Ranking.State.PUBLISHED,
        )
        .select_related("scheme")
        .first()
    )
    if published is not None:
        rows = [
            (r.agency_id, r.category_id, r.composite, r.rank, r.values)
            for r in published.rows.all()
        ]
    else:
        rows = [
            (r.agency_id, r.category_id, r.composite, r.rank, r.values)
            for r in compute_rows(scheme=scheme, period=period)
        ]
    visible = {a.pk: a for a in agencies_visible(access)}
    lights = figures.now_values(
        codes=["timelimits.red_now", "timelimits.yellow_now"], agency_ids=_ids(access)
    )
    by_category: dict[int, list[Bar]] = {}
    for agency_id, category_id, composite, rank, values in rows:
        if agency_id not in visible or (category and category_id != category.pk):
            continue
        mark = (
            "red"
            if lights.get((agency_id, "timelimits.red_now"))
            else "yellow"
            if lights.get((agency_id, "timelimits.yellow_now"))
            else ""
        )
        by_category.setdefault(category_id, []).append(
            Bar(
                agency_id=agency_id,
                name=visible[agency_id].short_name or visible[agency_id].name,
                composite=float(composite) if composite is not None else None,
                rank=rank,
                mark=mark,
                url=reverse("supervision:agency", args=[agency_id]) + f"?period={period.key}",
                values=values,
            )
        )
    categories = {c.pk: c for c in AgencyCategory.objects.filter(pk__in=by_category)}
    out = []
    for category_id in sorted(by_category, key=lambda c: (categories[c].order, categories[c].code)):
        bars = sorted(by_category[category_id], key=lambda b: (b.rank is None, b.rank or 0, b.name))
        out.append(CategoryRanking(categories[category_id], bars))
    return RankingView(scheme, published, out)


def _period_value(indicator, sums: list[tuple[int, int]], minimum: int) -> float | None:
    n = sum(s[0] for s in sums)
    d = sum(s[1] for s in sums)
    return Value(n, d, indicator.is_rate, minimum).value


def trend(
    *, agency: Agency, period: periods.Period, code: str = TREND_CODE, count: int = 12
) -> dict:
    """The agency's value per period against the median of its category's agencies."""
    indicator = registry().indicators[code]
    minimum = figures.min_samples().get(code, 0)
    spans = period.previous(count)
    peers = list(
        Agency.objects.filter(category_id=agency.category_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    monthly = figures.monthly_values(
        code=code, first=spans[0].first_month, last=spans[-1].last_month, agency_ids=peers
    )
    labels, own, median = [], [], []
    for span in spans:
        months = set(span.months)
        per_agency: dict[int, list[tuple[int, int]]] = {}
        for (agency_id, month), nd in monthly.items():
            if month in months:
                per_agency.setdefault(agency_id, []).append(nd)
        values = [
            v
            for v in (_period_value(indicator, s, minimum) for s in per_agency.values())
            if v is not None
        ]
        labels.append(span.key)
        own.append(_period_value(indicator, per_agency.get(agency.pk, []), minimum))
        median.append(round(statistics.median(values), 1) if values else None)
    return {
        "code": code,
        "name": str(indicator.name),
        "unit": str(indicator.unit),
        "labels": labels,
        "agency": own,
        "median": median,
    }


def heat(*, access: Access, period: periods.Period, codes: list[str], category=None) -> list[dict]:
    """Agencies × indicators: each cell's value and its min-max score within the category."""
    agencies = agencies_visible(access)
    if category is not None:
        agencies = agencies.filter(category=category)
    agencies = list(agencies.order_by("category__order", "path"))
    ids = [a.pk for a in agencies]
    values = figures.with_zero_counts(
        figures.period_values(codes=codes, period=period, agency_ids=ids),
        codes=codes,
        agency_ids=ids,
    )
    reg = registry()
    spans = {}
    for code in codes:
        xs = [
            values[(a.pk, code)].value
            for a in agencies
            if (a.pk, code) in values and values[(a.pk, code)].value is not None
        ]
        spans[code] = (min(xs), max(xs)) if xs else None
    rows = []
    for agency in agencies:
        cells = []
        for code in codes:
            v = values.get((agency.pk, code))
            value = v.value if v else None
            score = None
            if value is not None and spans[code]:
                low, high = spans[code]
                score = 100.0 if high == low else 100 * (value - low) / (high - low)
                if not reg.indicators[code].higher_is_better:
                    score = 100 - score
            cells.append(
                {
                    "code": code,
                    "value": value,
                    "score": None if score is None else round(score),
                    "url": cases_url(code, period=period, agency_id=agency.pk),
                }
            )
        rows.append({"agency": agency, "cells": cells})
    return rows
