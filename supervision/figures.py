"""Reading figures from the rollup (never from the base tables): per agency and indicator over
a period, per month for trends, and the figures of now.

A figure is a ``Value``: the numerator and denominator summed over the period, the
value (a count, or 100 × n / d for a rate), and whether its sample reaches the
indicator's minimum (``IndicatorSetting.min_sample``). Below it the value is None and
the page says 样本不足 (insufficient sample) — never a division by zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from supervision.models import FigureMonth, FigureNow, IndicatorSetting
from supervision.periods import Period
from supervision.registry import Indicator, registry


@dataclass(frozen=True, slots=True)
class Value:
    numerator: int
    denominator: int
    is_rate: bool
    min_sample: int

    @property
    def sample(self) -> int:
        return self.denominator if self.is_rate else self.numerator

    @property
    def sufficient(self) -> bool:
        if self.is_rate:
            return self.denominator > 0 and self.denominator >= self.min_sample
        return self.numerator >= self.min_sample

    @property
    def value(self) -> float | None:
        if not self.sufficient:
            return None
        if self.is_rate:
            return round(100 * self.numerator / self.denominator, 1)
        return float(self.numerator)


def min_samples() -> dict[str, int]:
    """The office's minimum samples, else each declaration's default."""
    declared = {code: i.min_sample for code, i in registry().indicators.items()}
    declared.update(dict(IndicatorSetting.objects.values_list("code", "min_sample")))
    return declared


def active_indicators() -> list[Indicator]:
    inactive = set(IndicatorSetting.objects.filter(is_active=False).values_list("code", flat=True))
    return [i for code, i in registry().indicators.items() if code not in inactive]


def _value(indicator: Indicator, n: int, d: int, minimum: int) -> Value:
    return Value(
        numerator=n or 0, denominator=d or 0, is_rate=indicator.is_rate, min_sample=minimum
    )


def period_values(
    *, codes: list[str], period: Period, agency_ids=None
) -> dict[tuple[int, str], Value]:
    """{(agency id, code): Value} over the period's months; agencies without rows are absent."""
    return months_values(
        codes=codes, first=period.first_month, last=period.last_month, agency_ids=agency_ids
    )


def with_zero_counts(
    values: dict[tuple[int, str], Value], *, codes: list[str], agency_ids
) -> dict[tuple[int, str], Value]:
    """A count with no rows is zero (nothing happened), not missing: fill it in for ``agency_ids``.

    A rate with no rows stays missing (no sample: 样本不足)."""
    reg, minimum = registry(), min_samples()
    filled = dict(values)
    for code in codes:
        indicator = reg.indicators[code]
        if indicator.is_rate:
            continue
        for agency_id in agency_ids:
            filled.setdefault((agency_id, code), _value(indicator, 0, 0, minimum.get(code, 0)))
    return filled


def months_values(
    *, codes: list[str], first: dt.date, last: dt.date, agency_ids=None
) -> dict[tuple[int, str], Value]:
    reg, minimum = registry(), min_samples()
    rows = FigureMonth.objects.filter(indicator__in=codes, month__gte=first, month__lte=last)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    sums = rows.values("agency_id", "indicator").annotate(n=Sum("numerator"), d=Sum("denominator"))
    return {
        (r["agency_id"], r["indicator"]): _value(
            reg.indicators[r["indicator"]], r["n"], r["d"], minimum.get(r["indicator"], 0)
        )
        for r in sums
        if r["indicator"] in reg.indicators
    }


def monthly_values(
    *, code: str, first: dt.date, last: dt.date, agency_ids=None
) -> dict[tuple[int, dt.date], tuple[int, int]]:
    """{(agency id, month): (numerator, denominator)} for one indicator, month by month."""
    rows = FigureMonth.objects.filter(indicator=code, month__gte=first, month__lte=last)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    sums = rows.values("agency_id", "month").annotate(n=Sum("numerator"), d=Sum("denominator"))
    return {(r["agency_id"], r["month"]): (r["n"] or 0, r["d"] or 0) for r in sums}


def parts(*, code: str, period: Period, agency_ids=None) -> dict[str, int]:
    """A count indicator's breakdown (cards by clock kind) over the period."""
    rows = FigureMonth.objects.filter(
        indicator=code, month__gte=period.first_month, month__lte=period.last_month
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return {
        r["part"]: r["n"]
        for r in rows.values("part").annotate(n=Sum("numerator")).order_by("-n", "part")
    }


def now_values(*, codes: list[str], agency_ids=None) -> dict[tuple[int, str], int]:
    rows = FigureNow.objects.filter(indicator__in=codes)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    sums = rows.values("agency_id", "indicator").annotate(n=Sum("numerator"))
    return {(r["agency_id"], r["indicator"]): r["n"] or 0 for r in sums}


def totals(values: dict[tuple[int, str], Value], code: str) -> tuple[int, int]:
    n = d = 0
    for (_agency, c), v in values.items():
        if c == code:
            n += v.numerator
            d += v.denominator
    return n, d


def by_agency(values: dict[tuple[int, str], Value]) -> dict[int, dict[str, Value]]:
    out: dict[int, dict[str, Value]] = defaultdict(dict)
    for (agency_id, code), v in values.items():
        out[agency_id][code] = v
    return out
