"""Models of the supervision app, one module per concept (figures, rankings, inspections,
sanctions, bulletins)."""

from supervision.models.bulletins import Bulletin
from supervision.models.figures import (
    FigureDay,
    FigureMonth,
    FigureNow,
    IndicatorSetting,
    RollupRun,
    RollupWatermark,
)
from supervision.models.inspections import (
    ChecklistItem,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionCheck,
    Rectification,
    RectificationEvidence,
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
from supervision.models.sanctions import (
    Sanction,
    SanctionAppeal,
    SanctionKind,
    SanctionProposal,
    SourceType,
    ThresholdRule,
)

__all__ = [
    "Bulletin",
    "ChecklistItem",
    "FigureDay",
    "FigureMonth",
    "FigureNow",
    "Finding",
    "FindingPhoto",
    "IndicatorSetting",
    "Inspection",
    "InspectionCheck",
    "OutcomeKind",
    "OutcomeProposal",
    "OutcomeRule",
    "PeriodKind",
    "Ranking",
    "RankingRow",
    "RankingScheme",
    "Rectification",
    "RectificationEvidence",
    "RollupRun",
    "RollupWatermark",
    "Sanction",
    "SanctionAppeal",
    "SanctionKind",
    "SanctionProposal",
    "SchemeIndicator",
    "SourceType",
    "ThresholdRule",
]
