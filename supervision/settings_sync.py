"""Seed ``IndicatorSetting`` rows for declared indicators (defaults from the declaration)."""

from __future__ import annotations

from supervision.registry import registry


def indicator_settings_sync(sender=None, using: str = "default", **kwargs) -> int:
    """Create the missing rows; existing rows keep what the office set (idempotent)."""
    from supervision.models import IndicatorSetting

    rows = [
        IndicatorSetting(code=i.code, min_sample=i.min_sample)
        for i in registry().indicators.values()
    ]
    created = IndicatorSetting.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    return len(created)
