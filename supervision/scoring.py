"""The default normalisation of a composite ranking (written on the page and in the open data).

Within a category, an indicator's score is 100 × (x − min) / (max − min) over the
agencies scored on it, reversed (100 × (max − x) / (max − min)) when lower is better,
and 100 for all when max = min. An agency below an indicator's minimum sample is not
scored on it and that weight is left out of its denominator:
composite = Σ wᵢ·scoreᵢ / Σ wᵢ over the indicators it is scored on. Agencies are
ranked by composite (rounded to two decimals) descending; equal composites share a
rank and the next rank skips (1, 2, 2, 4). An agency scored on no indicator has no
composite and no rank (样本不足).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from supervision.figures import Value

TWO = Decimal("0.01")


@dataclass
class Scored:
    agency_id: int
    category_id: int
    values: dict[str, dict] = field(default_factory=dict)
    composite: Decimal | None = None
    rank: int | None = None


def _round(x: float) -> Decimal:
    return Decimal(str(x)).quantize(TWO, rounding=ROUND_HALF_UP)


def rank_in_place(rows: list[Scored]) -> None:
    """Standard competition ranking (1, 2, 2, 4) by composite, descending; None unranked."""
    ranked = sorted((r for r in rows if r.composite is not None), key=lambda r: -r.composite)
    previous, previous_rank = None, 0
    for position, row in enumerate(ranked, start=1):
        row.rank = previous_rank if row.composite == previous else position
        previous, previous_rank = row.composite, row.rank


def score(
    *,
    agencies: list[tuple[int, int]],
    values: dict[tuple[int, str], Value],
    weights: dict[str, Decimal],
    higher_is_better: dict[str, bool],
) -> list[Scored]:
    """Score ``agencies`` [(id, category id)] on ``weights`` from ``values``, category by category."""
    rows = [Scored(agency_id=a, category_id=c) for a, c in agencies]
    by_category: dict[int, list[Scored]] = defaultdict(list)
    for row in rows:
        by_category[row.category_id].append(row)
    for members in by_category.values():
        scores: dict[tuple[int, str], float] = {}
        for code in weights:
            xs = {}
            for r in members:
                v = values.get((r.agency_id, code))
                x = v.value if v is not None else None
                if x is not None:
                    xs[r.agency_id] = x
            if not xs:
                continue
            low, high = min(xs.values()), max(xs.values())
            for agency_id, x in xs.items():
                if high == low:
                    s = 100.0
                elif higher_is_better[code]:
                    s = 100 * (x - low) / (high - low)
                else:
                    s = 100 * (high - x) / (high - low)
                scores[(agency_id, code)] = s
        for row in members:
            total_weight, total = Decimal(0), Decimal(0)
            for code, weight in weights.items():
                v = values.get((row.agency_id, code))
                s = scores.get((row.agency_id, code))
                row.values[code] = {
                    "numerator": v.numerator if v else 0,
                    "denominator": v.denominator if v else 0,
                    "value": v.value if v else None,
                    "score": None if s is None else float(_round(s)),
                    "weight": str(weight),
                }
                if s is not None and weight > 0:
                    total_weight += weight
                    total += weight * Decimal(str(s))
            row.composite = (total / total_weight).quantize(TWO) if total_weight else None
        rank_in_place(members)
    return rows


def bottom_positions(rows: list[Scored]) -> dict[int, int]:
    """{agency id: position from the bottom} among ranked rows; ties share the position."""
    ranked = [r for r in rows if r.composite is not None]
    return {r.agency_id: 1 + sum(1 for o in ranked if o.composite < r.composite) for r in ranked}
