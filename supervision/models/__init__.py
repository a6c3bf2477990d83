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

__all__ = [
    "FigureDay",
    "FigureMonth",
    "FigureNow",
    "IndicatorSetting",
    "RollupRun",
    "RollupWatermark",
]
