"""Models of the supervision app, one module per concept (figures, rankings, inspections,
sanctions, bulletins)."""

from supervision.models.figures import (
    FigureDay,
    FigureMonth,
    FigureNow,
    IndicatorSetting,
    RollupRun,
    RollupWatermark,
)
from supervision.models.rankings import (
    OutcomeKind,
    OutcomeProposal,
    OutcomeRule,
    PeriodKind,
    Ranking,
    RankingRow,
    RankingScheme,
    SchemeIndicator,
)

__all__ = [
    "FigureDay",
    "FigureMonth",
    "FigureNow",
    "IndicatorSetting",
    "OutcomeKind",
    "OutcomeProposal",
    "OutcomeRule",
    "PeriodKind",
    "Ranking",
    "RankingRow",
    "RankingScheme",
    "RollupRun",
    "RollupWatermark",
    "SchemeIndicator",
]
